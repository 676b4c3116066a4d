package nodeagent

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var shImage = ImageEntry{Entrypoint: []string{"/bin/sh", "-c"}, Cmd: []string{"echo default"}}

func TestArgvIsEntrypointAndCmdWithoutOverrides(t *testing.T) {
	got, err := ResolveArgv(shImage, nil, nil)
	if err != nil || !reflect.DeepEqual(got, []string{"/bin/sh", "-c", "echo default"}) {
		t.Fatalf("argv = %q, %v", got, err)
	}
}

func TestArgsReplaceCmdButKeepEntrypoint(t *testing.T) {
	got, _ := ResolveArgv(shImage, nil, []string{"echo hi"})
	if !reflect.DeepEqual(got, []string{"/bin/sh", "-c", "echo hi"}) {
		t.Fatalf("argv = %q", got)
	}
}

func TestCommandReplacesEntrypointAndDropsCmd(t *testing.T) {
	got, _ := ResolveArgv(shImage, []string{"/bin/true"}, nil)
	if !reflect.DeepEqual(got, []string{"/bin/true"}) {
		t.Fatalf("argv = %q", got)
	}
}

func TestCommandAndArgsTogether(t *testing.T) {
	got, _ := ResolveArgv(shImage, []string{"/bin/echo"}, []string{"a", "b"})
	if !reflect.DeepEqual(got, []string{"/bin/echo", "a", "b"}) {
		t.Fatalf("argv = %q", got)
	}
}

func TestEmptyArgvIsAnError(t *testing.T) {
	if _, err := ResolveArgv(ImageEntry{}, nil, nil); err == nil {
		t.Fatal("want an error for an image with nothing to run")
	}
}

func TestImageMapErrorNamesTheFile(t *testing.T) {
	_, err := ParseImageMap("images.json", []byte(`{"images": [}`))
	if err == nil || !strings.Contains(err.Error(), "images.json") {
		t.Fatalf("err = %v, want one naming images.json", err)
	}
}

func TestImageMapWithoutImagesObjectIsRejected(t *testing.T) {
	if _, err := ParseImageMap("m.json", []byte(`{}`)); err == nil {
		t.Fatal("want an error for a map without images")
	}
}

func TestCatalogSeesImagesAddedToTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "images.json")
	write := func(body string, mtime time.Time) {
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	base := time.Now().Add(-time.Hour)
	write(`{"images": {"a:1": {"entrypoint": ["/bin/a"]}}}`, base)
	cat := newImageCatalog(path)
	if _, ok, _ := cat.Lookup("b:1"); ok {
		t.Fatal("b:1 must not be known yet")
	}
	write(`{"images": {"a:1": {"entrypoint": ["/bin/a"]}, "b:1": {"entrypoint": ["/bin/b"]}}}`, base.Add(time.Minute))
	entry, ok, err := cat.Lookup("b:1")
	if !ok || err != nil || entry.Entrypoint[0] != "/bin/b" {
		t.Fatalf("b:1 = %+v, %v, %v after the file changed", entry, ok, err)
	}
}

func TestCatalogKeepsLastGoodMapWhenFileBreaks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "images.json")
	if err := os.WriteFile(path, []byte(`{"images": {"a:1": {"entrypoint": ["/bin/a"]}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cat := newImageCatalog(path)
	if _, ok, _ := cat.Lookup("a:1"); !ok {
		t.Fatal("a:1 must be known")
	}
	if err := os.WriteFile(path, []byte(`{"images": {`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := cat.Lookup("a:1"); !ok {
		t.Fatal("a half-written map must not make known images disappear")
	}
}
