package nodeagent

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// fixedTokens hands out numbered tokens with a fixed lifetime and remembers the requests.
type fixedTokens struct {
	lifetime  time.Duration
	now       time.Time
	audiences []string
}

func (f *fixedTokens) Token(_ context.Context, _ *corev1.Pod, audience string, _ int64) (string, time.Time, error) {
	f.audiences = append(f.audiences, audience)
	return "token-" + string(rune('0'+len(f.audiences))), f.now.Add(f.lifetime), nil
}

func serviceAccountVolume() corev1.Volume {
	return corev1.Volume{Name: "kube-api-access", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
		DefaultMode: ptrTo(int32(0o644)),
		Sources: []corev1.VolumeProjection{
			{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "token", ExpirationSeconds: ptrTo(int64(3607))}},
			{ConfigMap: &corev1.ConfigMapProjection{LocalObjectReference: corev1.LocalObjectReference{Name: "kube-root-ca.crt"},
				Items: []corev1.KeyToPath{{Key: "ca.crt", Path: "ca.crt"}}}},
			{DownwardAPI: &corev1.DownwardAPIProjection{Items: []corev1.DownwardAPIVolumeFile{
				{Path: "namespace", FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.namespace"}}}}},
		},
	}}}
}

func newTestVolumes(t *testing.T, tokens TokenSource) *podVolumes {
	objects := mapObjects{configMaps: map[string]*corev1.ConfigMap{
		"kube-root-ca.crt": {Data: map[string]string{"ca.crt": "CA PEM"}},
	}}
	return &podVolumes{dir: t.TempDir(), objects: objects, tokens: tokens, isNotFound: isTestNotFound}
}

func readVolumeFile(t *testing.T, p *podVolumes, vol, file string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(p.dir, vol, file))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestServiceAccountVolumeHasTokenCAAndNamespace(t *testing.T) {
	tokens := &fixedTokens{lifetime: time.Hour, now: t0}
	p := newTestVolumes(t, tokens)
	pod := testPod()
	pod.Spec.Volumes = []corev1.Volume{serviceAccountVolume()}
	if err := p.Prepare(context.Background(), pod, t0); err != nil {
		t.Fatal(err)
	}
	if readVolumeFile(t, p, "kube-api-access", "token") != "token-1" ||
		readVolumeFile(t, p, "kube-api-access", "ca.crt") != "CA PEM" ||
		readVolumeFile(t, p, "kube-api-access", "namespace") != "ns" {
		t.Fatal("projected service-account volume incomplete")
	}
}

func TestTokenIsRenewedAfterEightyPercentOfItsLifetime(t *testing.T) {
	tokens := &fixedTokens{lifetime: time.Hour, now: t0}
	p := newTestVolumes(t, tokens)
	pod := testPod()
	pod.Spec.Volumes = []corev1.Volume{serviceAccountVolume()}
	_ = p.Prepare(context.Background(), pod, t0)
	_ = p.Prepare(context.Background(), pod, t0.Add(47*time.Minute))
	if got := readVolumeFile(t, p, "kube-api-access", "token"); got != "token-1" {
		t.Fatalf("token renewed too early: %s", got)
	}
	tokens.now = t0.Add(49 * time.Minute)
	_ = p.Prepare(context.Background(), pod, t0.Add(49*time.Minute))
	if got := readVolumeFile(t, p, "kube-api-access", "token"); got != "token-2" {
		t.Fatalf("token not renewed after 80%% of its lifetime: %s", got)
	}
}

func TestConfigMapItemsAndModesAreApplied(t *testing.T) {
	p := newTestVolumes(t, &fixedTokens{})
	p.objects = mapObjects{configMaps: map[string]*corev1.ConfigMap{"cfg": {Data: map[string]string{"a": "1", "b": "2"}}}}
	pod := testPod()
	pod.Spec.Volumes = []corev1.Volume{{Name: "cfg", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
		LocalObjectReference: corev1.LocalObjectReference{Name: "cfg"},
		Items:                []corev1.KeyToPath{{Key: "a", Path: "sub/a.txt", Mode: ptrTo(int32(0o600))}},
	}}}}
	if err := p.Prepare(context.Background(), pod, t0); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(p.dir, "cfg", "sub", "a.txt"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("a.txt: %v, mode %v", err, info.Mode())
	}
	if _, err := os.Stat(filepath.Join(p.dir, "cfg", "b")); !os.IsNotExist(err) {
		t.Fatal("keys not listed in items must not be written")
	}
}

func TestMissingSecretIsAnErrorNamingVolumeAndSecret(t *testing.T) {
	p := newTestVolumes(t, &fixedTokens{})
	pod := testPod()
	pod.Spec.Volumes = []corev1.Volume{{Name: "creds", VolumeSource: corev1.VolumeSource{
		Secret: &corev1.SecretVolumeSource{SecretName: "nope"}}}}
	err := p.Prepare(context.Background(), pod, t0)
	if err == nil || !strings.Contains(err.Error(), `"creds"`) || !strings.Contains(err.Error(), `"nope"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestItemPathCannotLeaveTheVolume(t *testing.T) {
	p := newTestVolumes(t, &fixedTokens{})
	p.objects = mapObjects{configMaps: map[string]*corev1.ConfigMap{"cfg": {Data: map[string]string{"a": "1"}}}}
	pod := testPod()
	pod.Spec.Volumes = []corev1.Volume{{Name: "cfg", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
		LocalObjectReference: corev1.LocalObjectReference{Name: "cfg"},
		Items:                []corev1.KeyToPath{{Key: "a", Path: "../../escape"}},
	}}}}
	if err := p.Prepare(context.Background(), pod, t0); err == nil {
		t.Fatal("want an error for an item path outside the volume")
	}
}

func TestMountPointsMadeAreRemovedWhenEmpty(t *testing.T) {
	root := t.TempDir()
	m := &mountPointSet{record: filepath.Join(root, "mountpoints")}
	if err := m.Ensure(filepath.Join(root, "a", "b", "termination-log"), false); err != nil {
		t.Fatal(err)
	}
	if err := m.Ensure(filepath.Join(root, "a", "c"), true); err != nil {
		t.Fatal(err)
	}
	if err := removeMountPoints(m.record); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "a")); !os.IsNotExist(err) {
		t.Fatalf("mount points left behind: %v", err)
	}
}

func TestMountPointWithContentIsKept(t *testing.T) {
	root := t.TempDir()
	m := &mountPointSet{record: filepath.Join(root, "mountpoints")}
	dir := filepath.Join(root, "d")
	if err := m.Ensure(dir, true); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "someone-elses"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_ = removeMountPoints(m.record)
	if _, err := os.Stat(filepath.Join(dir, "someone-elses")); err != nil {
		t.Fatal("a mount point holding files must be left alone")
	}
}

func TestFSGroupMakesSecretFilesReadableByTheGroup(t *testing.T) {
	dir := t.TempDir()
	files := []projectedFile{{path: "tls/tls.key", data: []byte("key"), mode: 0o400}}
	if err := writeVolume(dir, files, 4242); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, "tls/tls.key"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o440 {
		t.Fatalf("mode %v, want 0440", info.Mode().Perm())
	}
	st := info.Sys().(*syscall.Stat_t)
	if st.Gid != 4242 {
		t.Fatalf("group %d, want 4242", st.Gid)
	}
	sub, _ := os.Stat(filepath.Join(dir, "tls"))
	if sub.Sys().(*syscall.Stat_t).Gid != 4242 || sub.Mode().Perm()&0o050 != 0o050 {
		t.Fatalf("folder %v group %d: want group-searchable, group 4242", sub.Mode(), sub.Sys().(*syscall.Stat_t).Gid)
	}
}

func TestNoFSGroupKeepsModesAsGiven(t *testing.T) {
	dir := t.TempDir()
	if err := writeVolume(dir, []projectedFile{{path: "k", data: []byte("v"), mode: 0o400}}, -1); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(filepath.Join(dir, "k"))
	if info.Mode().Perm() != 0o400 {
		t.Fatalf("mode %v, want 0400", info.Mode().Perm())
	}
}
