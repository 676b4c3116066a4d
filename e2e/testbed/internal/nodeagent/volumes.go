package nodeagent

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// defaultVolumeMode is the kubelet's default mode for configMap, secret, projected and
// downwardAPI files (0644).
const defaultVolumeMode = 0o644

// projectedFile is one file the agent writes into a volume directory.
type projectedFile struct {
	path string // relative to the volume's directory
	data []byte
	mode os.FileMode
}

// TokenSource obtains service-account tokens through the TokenRequest API, bound to a pod.
type TokenSource interface {
	// Token returns a token for the pod's service account with the audience (empty: the
	// API server's default) and lifetime, and when it expires.
	Token(ctx context.Context, pod *corev1.Pod, audience string, expirationSeconds int64) (string, time.Time, error)
}

// podVolumes materialises a pod's volumes in its state directory and keeps projected
// service-account tokens fresh (the kubelet renews them at 80% of their lifetime).
type podVolumes struct {
	dir        string // the pod's volumes directory
	objects    ObjectSource
	tokens     TokenSource
	isNotFound func(error) bool
	caData     []byte // ca.crt for kube-root-ca.crt when the ConfigMap lacks it

	renewAt time.Time // zero until a token was written
}

// hostPath returns the directory or file on the host backing volume v.
func (p *podVolumes) hostPath(v *corev1.Volume) string {
	if v.HostPath != nil {
		return v.HostPath.Path
	}
	return filepath.Join(p.dir, v.Name)
}

// Prepare creates every volume of pod that is not ready yet, and rewrites projected
// volumes once their tokens are due for renewal. Safe to call repeatedly.
// Returns an error naming the volume and the missing object, key or unsupported type.
func (p *podVolumes) Prepare(ctx context.Context, pod *corev1.Pod, now time.Time) error {
	refresh := !p.renewAt.IsZero() && now.After(p.renewAt)
	if refresh {
		p.renewAt = time.Time{}
	}
	for i := range pod.Spec.Volumes {
		v := &pod.Spec.Volumes[i]
		dir := filepath.Join(p.dir, v.Name)
		_, statErr := os.Stat(dir)
		exists := statErr == nil
		var files []projectedFile
		var err error
		switch {
		case v.EmptyDir != nil:
			if err := os.MkdirAll(dir, 0o777); err != nil {
				return fmt.Errorf("volume %q: %w", v.Name, err)
			}
			// Any user may write an emptyDir, as in the kubelet.
			_ = os.Chmod(dir, 0o777)
			continue
		case v.HostPath != nil:
			if err := prepareHostPath(v); err != nil {
				return err
			}
			continue
		case exists && !(refresh && v.Projected != nil):
			continue
		case v.ConfigMap != nil:
			files, err = p.configMapFiles(pod.Namespace, v.ConfigMap.Name, v.ConfigMap.Items, v.ConfigMap.Optional, v.ConfigMap.DefaultMode)
		case v.Secret != nil:
			files, err = p.secretFiles(pod.Namespace, v.Secret.SecretName, v.Secret.Items, v.Secret.Optional, v.Secret.DefaultMode)
		case v.DownwardAPI != nil:
			files, err = downwardFiles(pod, v.DownwardAPI.Items, v.DownwardAPI.DefaultMode)
		case v.Projected != nil:
			files, err = p.projectedFiles(ctx, pod, v.Projected, now)
		default:
			return fmt.Errorf("volume %q: only emptyDir, hostPath, configMap, secret, downwardAPI and projected volumes are supported", v.Name)
		}
		if err != nil {
			return fmt.Errorf("volume %q: %w", v.Name, err)
		}
		if err := writeVolume(dir, files, fsGroup(pod)); err != nil {
			return fmt.Errorf("volume %q: %w", v.Name, err)
		}
	}
	return nil
}

func prepareHostPath(v *corev1.Volume) error {
	path := v.HostPath.Path
	t := corev1.HostPathUnset
	if v.HostPath.Type != nil {
		t = *v.HostPath.Type
	}
	info, err := os.Stat(path)
	switch t {
	case corev1.HostPathDirectoryOrCreate:
		if err != nil {
			return os.MkdirAll(path, 0o755)
		}
	case corev1.HostPathFileOrCreate:
		if err != nil {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
			f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o644)
			if err != nil {
				return err
			}
			return f.Close()
		}
	case corev1.HostPathDirectory:
		if err != nil || !info.IsDir() {
			return fmt.Errorf("volume %q: hostPath %s is not a directory", v.Name, path)
		}
	case corev1.HostPathFile:
		if err != nil || info.IsDir() {
			return fmt.Errorf("volume %q: hostPath %s is not a file", v.Name, path)
		}
	case corev1.HostPathUnset:
		if err != nil {
			// Docker created missing host paths as directories; so does the kubelet.
			return os.MkdirAll(path, 0o755)
		}
	default:
		if err != nil {
			return fmt.Errorf("volume %q: hostPath %s: %w", v.Name, path, err)
		}
	}
	return nil
}

// fsGroup returns the pod's fsGroup, or -1 when it has none.
func fsGroup(pod *corev1.Pod) int {
	if sc := pod.Spec.SecurityContext; sc != nil && sc.FSGroup != nil {
		return int(*sc.FSGroup)
	}
	return -1
}

// writeVolume writes files into dir, replacing each atomically so a reader of a renewed
// token never sees half of it. With an fsGroup (gid >= 0), as the kubelet does for its
// read-only volumes, every file and folder belongs to that group, files are group-readable
// and folders group-searchable, so a non-root container of the pod can read a 0400 secret.
func writeVolume(dir string, files []projectedFile, gid int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		clean := filepath.Clean(f.path)
		if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
			return fmt.Errorf("item path %q leaves the volume", f.path)
		}
		target := filepath.Join(dir, clean)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := writeVolumeFile(target, f.data, f.mode, gid); err != nil {
			return err
		}
	}
	if gid < 0 {
		return nil
	}
	return filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || !info.IsDir() {
			return err
		}
		if err := os.Lchown(path, -1, gid); err != nil {
			return err
		}
		return os.Chmod(path, info.Mode().Perm()|0o550|os.ModeSetgid)
	})
}

// writeVolumeFile replaces path atomically with data; with gid >= 0 the file belongs to
// that group and is group-readable before it takes the old one's place.
func writeVolumeFile(path string, data []byte, mode os.FileMode, gid int) error {
	if gid < 0 {
		return writeFileAtomic(path, data, mode)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, mode|0o440); err != nil {
		return err
	}
	if err := errors.Join(os.Chmod(tmp, mode|0o440), os.Chown(tmp, -1, gid)); err != nil {
		return errors.Join(err, os.Remove(tmp))
	}
	if err := os.Rename(tmp, path); err != nil {
		return errors.Join(err, os.Remove(tmp))
	}
	return nil
}

func fileMode(item *int32, def *int32) os.FileMode {
	switch {
	case item != nil:
		return os.FileMode(*item) & 0o777
	case def != nil:
		return os.FileMode(*def) & 0o777
	}
	return defaultVolumeMode
}

// keyFiles picks keys of data as files: all keys, or only items (each must exist unless
// the source is optional).
func keyFiles(kind, name string, data map[string][]byte, items []corev1.KeyToPath, defMode *int32, opt bool) ([]projectedFile, error) {
	var files []projectedFile
	if len(items) == 0 {
		for k, v := range data {
			files = append(files, projectedFile{k, v, fileMode(nil, defMode)})
		}
		return files, nil
	}
	for _, it := range items {
		v, ok := data[it.Key]
		if !ok {
			if opt {
				continue
			}
			return nil, fmt.Errorf("%s %q has no key %q", kind, name, it.Key)
		}
		files = append(files, projectedFile{it.Path, v, fileMode(it.Mode, defMode)})
	}
	return files, nil
}

func (p *podVolumes) configMapFiles(ns, name string, items []corev1.KeyToPath, opt *bool, defMode *int32) ([]projectedFile, error) {
	cm, err := p.objects.ConfigMap(ns, name)
	if err != nil {
		if p.isNotFound(err) && optional(opt) {
			return nil, nil
		}
		return nil, fmt.Errorf("configmap %q: %w", name, err)
	}
	data := map[string][]byte{}
	for k, v := range cm.Data {
		data[k] = []byte(v)
	}
	for k, v := range cm.BinaryData {
		data[k] = v
	}
	if name == "kube-root-ca.crt" && len(data["ca.crt"]) == 0 && len(p.caData) > 0 {
		data["ca.crt"] = p.caData
	}
	return keyFiles("configmap", name, data, items, defMode, optional(opt))
}

func (p *podVolumes) secretFiles(ns, name string, items []corev1.KeyToPath, opt *bool, defMode *int32) ([]projectedFile, error) {
	s, err := p.objects.Secret(ns, name)
	if err != nil {
		if p.isNotFound(err) && optional(opt) {
			return nil, nil
		}
		return nil, fmt.Errorf("secret %q: %w", name, err)
	}
	return keyFiles("secret", name, s.Data, items, defMode, optional(opt))
}

func downwardFiles(pod *corev1.Pod, items []corev1.DownwardAPIVolumeFile, defMode *int32) ([]projectedFile, error) {
	var files []projectedFile
	for _, it := range items {
		if it.FieldRef == nil {
			return nil, fmt.Errorf("downwardAPI item %q: only fieldRef is supported", it.Path)
		}
		v, err := podField(pod, it.FieldRef.FieldPath, PodFacts{PodIP: pod.Status.PodIP,
			HostIP: pod.Status.HostIP, NodeName: pod.Spec.NodeName})
		if err != nil {
			return nil, fmt.Errorf("downwardAPI item %q: %w", it.Path, err)
		}
		files = append(files, projectedFile{it.Path, []byte(v), fileMode(it.Mode, defMode)})
	}
	return files, nil
}

func (p *podVolumes) projectedFiles(ctx context.Context, pod *corev1.Pod, proj *corev1.ProjectedVolumeSource, now time.Time) ([]projectedFile, error) {
	var files []projectedFile
	for _, src := range proj.Sources {
		var more []projectedFile
		var err error
		switch {
		case src.ServiceAccountToken != nil:
			t := src.ServiceAccountToken
			exp := int64(3600)
			if t.ExpirationSeconds != nil {
				exp = *t.ExpirationSeconds
			}
			token, expires, terr := p.tokens.Token(ctx, pod, t.Audience, exp)
			if terr != nil {
				return nil, fmt.Errorf("service account token: %w", terr)
			}
			// Renew at 80% of the lifetime, like the kubelet's token manager.
			renew := now.Add(time.Duration(float64(expires.Sub(now)) * 0.8))
			if p.renewAt.IsZero() || renew.Before(p.renewAt) {
				p.renewAt = renew
			}
			mode := fileMode(nil, proj.DefaultMode)
			more = []projectedFile{{t.Path, []byte(token), mode}}
		case src.ConfigMap != nil:
			more, err = p.configMapFiles(pod.Namespace, src.ConfigMap.Name, src.ConfigMap.Items, src.ConfigMap.Optional, proj.DefaultMode)
		case src.Secret != nil:
			more, err = p.secretFiles(pod.Namespace, src.Secret.Name, src.Secret.Items, src.Secret.Optional, proj.DefaultMode)
		case src.DownwardAPI != nil:
			more, err = downwardFiles(pod, src.DownwardAPI.Items, proj.DefaultMode)
		default:
			return nil, fmt.Errorf("projected source not supported (only serviceAccountToken, configMap, secret, downwardAPI)")
		}
		if err != nil {
			return nil, err
		}
		files = append(files, more...)
	}
	return files, nil
}
