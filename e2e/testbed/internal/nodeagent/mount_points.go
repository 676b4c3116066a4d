package nodeagent

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// mountPointSet creates missing mount points on the host (a bind mount needs an existing
// target) and records each one it made, so Cleanup can remove it again when empty.
type mountPointSet struct {
	record string

	mu sync.Mutex // serialises creation and appends to record
}

// Ensure makes sure path exists, as a directory, or as a file when dir is false.
// Returns an error naming the path component that could not be made.
func (m *mountPointSet) Ensure(path string, dir bool) error {
	path = filepath.Clean(path)
	if !filepath.IsAbs(path) {
		return fmt.Errorf("%q is not an absolute path", path)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	// Walk down from the root so every directory made is recorded before its children.
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	cur := "/"
	for i, part := range parts {
		cur = filepath.Join(cur, part)
		if _, err := os.Stat(cur); err == nil {
			continue
		}
		last := i == len(parts)-1
		kind := "d"
		if last && !dir {
			kind = "f"
		}
		if err := m.append(kind, cur); err != nil {
			return err
		}
		var err error
		if kind == "d" {
			err = os.Mkdir(cur, 0o755)
		} else {
			var f *os.File
			if f, err = os.OpenFile(cur, os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
				err = f.Close()
			}
		}
		if err != nil && !os.IsExist(err) {
			return err
		}
	}
	return nil
}

func (m *mountPointSet) append(kind, path string) error {
	f, err := os.OpenFile(m.record, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(f, "%s %s\n", kind, path); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// removeMountPoints removes the recorded mount points, newest first, when they are empty
// (an empty file or directory): anything else was put there by someone else since.
func removeMountPoints(record string) error {
	f, err := os.Open(record)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	var entries []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		entries = append(entries, sc.Text())
	}
	f.Close()
	for i := len(entries) - 1; i >= 0; i-- {
		kind, path, ok := strings.Cut(entries[i], " ")
		if !ok || !filepath.IsAbs(path) {
			continue
		}
		info, err := os.Lstat(path)
		if err != nil {
			continue
		}
		switch {
		case kind == "d" && info.IsDir():
			_ = os.Remove(path) // fails, as wanted, when not empty
		case kind == "f" && info.Mode().IsRegular() && info.Size() == 0:
			_ = os.Remove(path)
		}
	}
	return os.Remove(record)
}
