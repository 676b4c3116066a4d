// Package nodeagent is the test bed's node: a small kubelet that registers a Node, keeps
// its Lease fresh and runs the containers of the pods bound to it as local processes.
//
// The launcher starts it as `testbed node-agent --kubeconfig F --node-name N --state DIR
// --images F --apiserver-host 127.0.0.1 --apiserver-port P --bridge-ip 198.18.0.1/16
// --ca-file F` (Main) and calls Cleanup(DIR) after stopping it, even after a SIGKILL.
//
// How a pod runs:
//   - Network: the bridge mgbr0 holds the bridge address; each pod gets a network
//     namespace mg-<uid> (made with `ip netns`), a veth whose host end is on the bridge, an
//     address from IPAllocator and a default route through the bridge. The API server, on
//     the host, reaches pod addresses directly; pods reach the API server through a TCP
//     forwarder on the bridge address (KUBERNETES_SERVICE_HOST/PORT point there).
//   - Processes: each container run re-executes this binary as the hidden step
//     `node-agent exec-container SPEC`, started in new mount and UTS namespaces with /
//     made private. The step joins the pod's network namespace, bind-mounts the volumes,
//     takes the container's user and group and execs the command, so the container's
//     process is that process. Mounts therefore die with it and nothing stays mounted.
//   - Images: a JSON map from image names to Docker-style entrypoint/cmd (ImageMap), re-read
//     when it changes; an image missing from it leaves the container in ErrImagePull /
//     ImagePullBackOff.
//   - Volumes: emptyDir, hostPath, configMap, secret, downwardAPI and projected ones
//     (service-account tokens from the TokenRequest API, renewed at 80% of their
//     lifetime) are written under DIR/pods/<uid>/volumes. Mount points missing on the host
//     are created and recorded for Cleanup.
//   - Status follows the kubelet's rules (PodPhase); restarts back off 10 s doubling to
//     5 min; logs are DIR/logs/<ns>_<pod>_<uid>/<container>/<run>.log and are served on
//     port 10250 of the bridge address for `kubectl logs` (which needs the API server to
//     prefer the node's InternalIP address).
//
// Everything made outside DIR is recorded in DIR before it is made, which is what lets
// Cleanup work from the records alone.
//
// Not supported: image pulls, exec/attach/port-forward, gRPC probes, lifecycle hooks,
// persistent volumes, and memory limits without a writable cgroup v2 at /sys/fs/cgroup.
package nodeagent
