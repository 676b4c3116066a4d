package nodeagent

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"
)

// maxImageMapBytes bounds the image map file; it is test input, not a registry.
const maxImageMapBytes = 1 << 20

// ImageEntry is what the test bed knows about one image, in Docker's terms.
type ImageEntry struct {
	Entrypoint []string `json:"entrypoint"`
	Cmd        []string `json:"cmd"`
	WorkingDir string   `json:"workingDir,omitempty"`
}

// ImageMap maps image names (as written in a pod spec) to their entries.
type ImageMap map[string]ImageEntry

// ParseImageMap decodes the node agent's image map: {"images": {"<image>": {...}}}.
// Returns an error naming the file when the JSON is malformed or too large.
func ParseImageMap(name string, data []byte) (ImageMap, error) {
	if len(data) > maxImageMapBytes {
		return nil, fmt.Errorf("%s: image map larger than %d bytes", name, maxImageMapBytes)
	}
	var doc struct {
		Images ImageMap `json:"images"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if doc.Images == nil {
		return nil, fmt.Errorf("%s: no \"images\" object", name)
	}
	return doc.Images, nil
}

// ResolveArgv returns the argv a container runs with Docker's rules: the container's
// command replaces the image's entrypoint and its args replace the image's cmd (an image's
// cmd is dropped when the container sets a command).
// Returns an error when the result is empty.
func ResolveArgv(image ImageEntry, command, args []string) ([]string, error) {
	var argv []string
	switch {
	case len(command) > 0:
		argv = append(append(argv, command...), args...)
	case len(args) > 0:
		argv = append(append(argv, image.Entrypoint...), args...)
	default:
		argv = append(append(argv, image.Entrypoint...), image.Cmd...)
	}
	if len(argv) == 0 {
		return nil, fmt.Errorf("no command: the image has no entrypoint or cmd and the container sets neither command nor args")
	}
	return argv, nil
}

// imageCatalog is the image map file, re-read whenever it changes on disk so tests can add
// images while the agent runs.
type imageCatalog struct {
	path string

	mu      sync.Mutex
	images  ImageMap  // guarded by mu
	modTime time.Time // guarded by mu
	size    int64     // guarded by mu
	loadErr error     // guarded by mu
}

func newImageCatalog(path string) *imageCatalog { return &imageCatalog{path: path} }

// Lookup returns the entry for image, re-reading the file first when it changed.
// ok is false when the image is not in the map (or the map cannot be read: err says why).
func (c *imageCatalog) Lookup(image string) (entry ImageEntry, ok bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refreshLocked()
	if c.images == nil {
		return ImageEntry{}, false, c.loadErr
	}
	entry, ok = c.images[image]
	return entry, ok, nil
}

func (c *imageCatalog) refreshLocked() {
	info, err := os.Stat(c.path)
	if err != nil {
		c.loadErr = err
		return
	}
	if c.images != nil && info.ModTime().Equal(c.modTime) && info.Size() == c.size {
		return
	}
	data, err := os.ReadFile(c.path)
	if err != nil {
		c.loadErr = err
		return
	}
	images, err := ParseImageMap(c.path, data)
	if err != nil {
		// Keep serving the last good map: a test may be half-way through rewriting it.
		c.loadErr = err
		return
	}
	c.images, c.modTime, c.size, c.loadErr = images, info.ModTime(), info.Size(), nil
}
