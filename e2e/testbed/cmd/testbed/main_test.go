package main

import (
	"bytes"
	"strings"
	"testing"
)

func runCapture(args ...string) (int, string) {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String() + errOut.String()
}

func TestUnknownCommandIsAUsageError(t *testing.T) {
	code, out := runCapture("launch")
	if code != 2 || !strings.Contains(out, `unknown command "launch"`) {
		t.Fatalf("exit %d, output %q", code, out)
	}
}

func TestUpRequiresStateDirectory(t *testing.T) {
	code, out := runCapture("up", "--bin", "/nowhere")
	if code != 2 || !strings.Contains(out, "--state DIR is required") {
		t.Fatalf("exit %d, output %q", code, out)
	}
}

func TestUpRequiresBinaryDirectory(t *testing.T) {
	code, out := runCapture("up", "--state", t.TempDir())
	if code != 2 || !strings.Contains(out, "--bin BINDIR is required") {
		t.Fatalf("exit %d, output %q", code, out)
	}
}

func TestRestartRejectsUnknownComponent(t *testing.T) {
	code, out := runCapture("restart", "--state", t.TempDir(), "kubelet")
	if code != 2 || !strings.Contains(out, `unknown component "kubelet"`) {
		t.Fatalf("exit %d, output %q", code, out)
	}
}

func TestDownOfMissingStateDirectoryIsClean(t *testing.T) {
	code, out := runCapture("down", "--state", t.TempDir()+"/never-started")
	if code != 0 {
		t.Fatalf("exit %d, output %q", code, out)
	}
}

func TestStatusWithoutTestBedFails(t *testing.T) {
	code, out := runCapture("status", "--state", t.TempDir())
	if code != 1 || !strings.Contains(out, "no test bed recorded") {
		t.Fatalf("exit %d, output %q", code, out)
	}
}
