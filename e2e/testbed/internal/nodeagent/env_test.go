package nodeagent

import (
	"errors"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

var errNotFound = errors.New("not found")

func isTestNotFound(err error) bool { return errors.Is(err, errNotFound) }

// mapObjects is an ObjectSource over fixed maps keyed by name.
type mapObjects struct {
	configMaps map[string]*corev1.ConfigMap
	secrets    map[string]*corev1.Secret
}

func (m mapObjects) ConfigMap(_, name string) (*corev1.ConfigMap, error) {
	if cm, ok := m.configMaps[name]; ok {
		return cm, nil
	}
	return nil, errNotFound
}

func (m mapObjects) Secret(_, name string) (*corev1.Secret, error) {
	if s, ok := m.secrets[name]; ok {
		return s, nil
	}
	return nil, errNotFound
}

var testFacts = PodFacts{PodIP: "198.18.0.7", HostIP: "198.18.0.1", NodeName: "n1",
	ServiceHost: "198.18.0.1", ServicePort: "6443"}

func testPod() *corev1.Pod {
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "ns", UID: "u-1",
		Labels: map[string]string{"app": "gate"}}}
}

func envValue(t *testing.T, env []string, name string) string {
	t.Helper()
	val, found := "", false
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			val, found = v, true
		}
	}
	if !found {
		t.Fatalf("%s not in %q", name, env)
	}
	return val
}

func build(t *testing.T, c *corev1.Container, src ObjectSource) []string {
	t.Helper()
	env, err := BuildEnv(testPod(), c, testFacts, src, isTestNotFound)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

func TestEnvHasServiceVariablesPointingAtTheForwarder(t *testing.T) {
	env := build(t, &corev1.Container{}, mapObjects{})
	if envValue(t, env, "KUBERNETES_SERVICE_HOST") != "198.18.0.1" || envValue(t, env, "KUBERNETES_SERVICE_PORT") != "6443" ||
		envValue(t, env, "KUBERNETES_SERVICE_PORT_HTTPS") != "6443" {
		t.Fatalf("service variables wrong: %q", env)
	}
}

func TestEnvResolvesDownwardFields(t *testing.T) {
	c := &corev1.Container{Env: []corev1.EnvVar{
		{Name: "NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.name"}}},
		{Name: "NS", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.namespace"}}},
		{Name: "UID", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.uid"}}},
		{Name: "IP", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "status.podIP"}}},
		{Name: "APP", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.labels['app']"}}},
	}}
	env := build(t, c, mapObjects{})
	for name, want := range map[string]string{"NAME": "p", "NS": "ns", "UID": "u-1", "IP": "198.18.0.7", "APP": "gate"} {
		if got := envValue(t, env, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

func TestEnvReadsConfigMapAndSecretKeys(t *testing.T) {
	src := mapObjects{
		configMaps: map[string]*corev1.ConfigMap{"cfg": {Data: map[string]string{"mode": "shadow"}}},
		secrets:    map[string]*corev1.Secret{"creds": {Data: map[string][]byte{"token": []byte("s3cret")}}},
	}
	c := &corev1.Container{Env: []corev1.EnvVar{
		{Name: "MODE", ValueFrom: &corev1.EnvVarSource{ConfigMapKeyRef: &corev1.ConfigMapKeySelector{
			LocalObjectReference: corev1.LocalObjectReference{Name: "cfg"}, Key: "mode"}}},
		{Name: "TOKEN", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
			LocalObjectReference: corev1.LocalObjectReference{Name: "creds"}, Key: "token"}}},
	}}
	env := build(t, c, src)
	if envValue(t, env, "MODE") != "shadow" || envValue(t, env, "TOKEN") != "s3cret" {
		t.Fatalf("env = %q", env)
	}
}

func TestMissingConfigMapKeyIsAnErrorNamingVariableAndKey(t *testing.T) {
	src := mapObjects{configMaps: map[string]*corev1.ConfigMap{"cfg": {Data: map[string]string{}}}}
	c := &corev1.Container{Env: []corev1.EnvVar{{Name: "MODE", ValueFrom: &corev1.EnvVarSource{
		ConfigMapKeyRef: &corev1.ConfigMapKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "cfg"}, Key: "mode"}}}}}
	_, err := BuildEnv(testPod(), c, testFacts, src, isTestNotFound)
	if err == nil || !strings.Contains(err.Error(), "MODE") || !strings.Contains(err.Error(), `"mode"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestOptionalMissingSecretIsSkipped(t *testing.T) {
	c := &corev1.Container{Env: []corev1.EnvVar{{Name: "TOKEN", ValueFrom: &corev1.EnvVarSource{
		SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "nope"},
			Key: "k", Optional: ptrTo(true)}}}}}
	env := build(t, c, mapObjects{})
	for _, kv := range env {
		if strings.HasPrefix(kv, "TOKEN=") {
			t.Fatalf("TOKEN set from a missing optional secret: %q", kv)
		}
	}
}

func TestEnvFromAddsPrefixedKeysAndEnvOverrides(t *testing.T) {
	src := mapObjects{configMaps: map[string]*corev1.ConfigMap{"cfg": {Data: map[string]string{"A": "1", "B": "2"}}}}
	c := &corev1.Container{
		EnvFrom: []corev1.EnvFromSource{{Prefix: "X_", ConfigMapRef: &corev1.ConfigMapEnvSource{
			LocalObjectReference: corev1.LocalObjectReference{Name: "cfg"}}}},
		Env: []corev1.EnvVar{{Name: "X_B", Value: "override"}},
	}
	env := build(t, c, src)
	if envValue(t, env, "X_A") != "1" || envValue(t, env, "X_B") != "override" {
		t.Fatalf("env = %q", env)
	}
}

func TestEnvValuesExpandEarlierVariables(t *testing.T) {
	c := &corev1.Container{Env: []corev1.EnvVar{
		{Name: "HOST", Value: "models"}, {Name: "URL", Value: "http://$(HOST):8080/$(UNSET)/$$(HOST)"},
	}}
	env := build(t, c, mapObjects{})
	if got := envValue(t, env, "URL"); got != "http://models:8080/$(UNSET)/$(HOST)" {
		t.Fatalf("URL = %q", got)
	}
}
