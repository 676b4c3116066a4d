package controlplane

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestEnvFileExportsKubeconfigPathAndState(t *testing.T) {
	c := testCluster()
	c.State.Root = "/tmp/it's here"
	got := EnvFile(c)
	out, err := exec.Command("sh", "-c", got+`printf '%s\n%s\n%s' "$KUBECONFIG" "$MODELGATE_TESTBED_STATE" "${PATH%%:*}"`).Output()
	if err != nil {
		t.Fatalf("sourcing the env file failed: %v\n%s", err, got)
	}
	want := "/tmp/it's here/kubeconfig\n/tmp/it's here\n/bin-dir"
	if string(out) != want {
		t.Fatalf("env file gives\n%s\nwant\n%s", out, want)
	}
}

func TestTailLinesReturnsTheLastLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	var b strings.Builder
	for i := 1; i <= 100; i++ {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	got := TailLines(path, 3)
	if got != "line 98\nline 99\nline 100\n" {
		t.Fatalf("TailLines = %q", got)
	}
}

func TestTailLinesOfMissingLogSaysSo(t *testing.T) {
	if got := TailLines(filepath.Join(t.TempDir(), "none"), 40); !strings.Contains(got, "no log") {
		t.Fatalf("TailLines = %q", got)
	}
}

func TestClusterSurvivesSaveAndLoad(t *testing.T) {
	c := testCluster()
	c.State.Root = t.TempDir()
	if err := SaveCluster(c); err != nil {
		t.Fatal(err)
	}
	got, err := LoadCluster(c.State)
	if err != nil {
		t.Fatal(err)
	}
	if got != c {
		t.Fatalf("LoadCluster = %+v, want %+v", got, c)
	}
}

func TestLoadClusterNamesTheStateDirectoryWhenEmpty(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadCluster(StateDir{Root: dir}); err == nil || !strings.Contains(err.Error(), dir) {
		t.Fatalf("LoadCluster error = %v", err)
	}
}

func TestDefaultImagesOfferShellSleepAndPython(t *testing.T) {
	images := DefaultImages()
	for _, name := range []string{"testbed/sh:1", "testbed/sleep:1", "testbed/python:1"} {
		if len(images[name].Entrypoint) == 0 {
			t.Errorf("no entrypoint for %s", name)
		}
	}
	if sh := images["testbed/sh:1"].Entrypoint; sh[len(sh)-1] != "-c" {
		t.Errorf("testbed/sh:1 entrypoint = %v, want a shell with -c", sh)
	}
}

func TestUnescapeMountPointDecodesOctalEscapes(t *testing.T) {
	if got := unescapeMountPoint(`/a\040b\011c`); got != "/a b\tc" {
		t.Fatalf("unescapeMountPoint = %q", got)
	}
}

func TestFreePortsAreDistinct(t *testing.T) {
	ports, err := FreePorts(5)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, p := range ports {
		if p <= 0 || seen[p] {
			t.Fatalf("FreePorts = %v", ports)
		}
		seen[p] = true
	}
}
