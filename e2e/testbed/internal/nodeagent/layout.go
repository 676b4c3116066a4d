package nodeagent

import (
	"path/filepath"
	"strings"

	"k8s.io/apimachinery/pkg/types"
)

// bridgeName is the host bridge every pod's veth is attached to.
const bridgeName = "mgbr0"

// stateLayout names the files under the agent's state directory. Everything the agent
// makes outside it (network namespaces, veths, the bridge, mount points, cgroups) is
// recorded here first so Cleanup can find it even after the agent was killed.
type stateLayout struct{ root string }

func (l stateLayout) podsDir() string             { return filepath.Join(l.root, "pods") }
func (l stateLayout) podDir(uid types.UID) string { return filepath.Join(l.podsDir(), string(uid)) }
func (l stateLayout) sandboxFile(uid types.UID) string {
	return filepath.Join(l.podDir(uid), "sandbox.json")
}
func (l stateLayout) volumesDir(uid types.UID) string { return filepath.Join(l.podDir(uid), "volumes") }
func (l stateLayout) pidsDir(uid types.UID) string    { return filepath.Join(l.podDir(uid), "pids") }
func (l stateLayout) runDir(uid types.UID) string     { return filepath.Join(l.podDir(uid), "run") }
func (l stateLayout) logsDir() string                 { return filepath.Join(l.root, "logs") }
func (l stateLayout) mountPointsFile() string         { return filepath.Join(l.root, "mountpoints") }
func (l stateLayout) hostFile() string                { return filepath.Join(l.root, "host.json") }

// containerLogDir holds one log per run of a container, like /var/log/pods.
func (l stateLayout) containerLogDir(namespace, name string, uid types.UID, container string) string {
	return filepath.Join(l.logsDir(), namespace+"_"+name+"_"+string(uid), container)
}

// netnsName and vethName derive kernel names from the pod UID; both fit IFNAMSIZ.
func netnsName(uid types.UID) string { return "mg-" + shortUID(uid) }
func vethName(uid types.UID) string  { return "mgv" + shortUID(uid) }

func shortUID(uid types.UID) string {
	s := strings.ReplaceAll(string(uid), "-", "")
	if len(s) > 10 {
		s = s[:10]
	}
	return s
}
