package controlplane

import "testing"

func TestFailingChecksNamesOnlyTheFailedReadyzChecks(t *testing.T) {
	body := "[+]ping ok\n[-]etcd-readiness failed: reason withheld\n[+]log ok\n" +
		"[-]poststarthook/rbac/bootstrap-roles failed: reason withheld\nreadyz check failed\n"
	if got := failingChecks(body); got != "etcd-readiness, poststarthook/rbac/bootstrap-roles" {
		t.Fatalf("failingChecks = %q", got)
	}
}
