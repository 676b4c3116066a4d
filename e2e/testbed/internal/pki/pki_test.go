package pki

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestSubjectPutsOrganizationsBeforeCommonName(t *testing.T) {
	c := Certificate{CommonName: "system:node:n1", Organizations: []string{"system:nodes"}}
	if got, want := c.Subject(), "/O=system:nodes/CN=system:node:n1"; got != want {
		t.Fatalf("Subject() = %q, want %q", got, want)
	}
}

func TestExtensionsListEveryAlternativeName(t *testing.T) {
	c := Certificate{Usage: ServerAuth, DNSNames: []string{"localhost"}, IPs: []string{"127.0.0.1"}}
	got := c.Extensions()
	for _, want := range []string{"extendedKeyUsage = serverAuth", "subjectAltName = DNS:localhost,IP:127.0.0.1"} {
		if !strings.Contains(got, want) {
			t.Errorf("Extensions() lacks %q:\n%s", want, got)
		}
	}
}

func TestExtensionsOfClientCertificateHaveNoAlternativeNames(t *testing.T) {
	got := Certificate{Usage: ClientAuth}.Extensions()
	if strings.Contains(got, "subjectAltName") || !strings.Contains(got, "clientAuth") {
		t.Fatalf("Extensions() = %q", got)
	}
}

func TestValidNodeNameRejectsSubjectSeparators(t *testing.T) {
	for _, name := range []string{"", "a/b", "Upper", "-lead", strings.Repeat("a", 254)} {
		if ValidNodeName(name) == nil {
			t.Errorf("ValidNodeName(%q) accepted it", name)
		}
	}
	if err := ValidNodeName("testbed.node-1"); err != nil {
		t.Errorf("ValidNodeName rejected a valid name: %v", err)
	}
}

// One real PKI, made once with the openssl command, serves the tests below.
var (
	created    Files
	createOnce sync.Once
	createErr  error
)

func testPKI(t *testing.T) Files {
	t.Helper()
	createOnce.Do(func() {
		dir, err := os.MkdirTemp("", "testbed-pki-")
		if err != nil {
			createErr = err
			return
		}
		created = Files{Dir: filepath.Join(dir, "pki")}
		createErr = Create(created, "node-a")
	})
	if createErr != nil {
		t.Fatalf("Create: %v", createErr)
	}
	return created
}

func TestMain(m *testing.M) {
	code := m.Run()
	if created.Dir != "" {
		os.RemoveAll(filepath.Dir(created.Dir))
	}
	os.Exit(code)
}

func readCert(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatalf("%s: no PEM block", path)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return cert
}

func verify(t *testing.T, files Files, c Certificate) *x509.Certificate {
	t.Helper()
	roots := x509.NewCertPool()
	roots.AddCert(readCert(t, files.Cert(c.Signer.Name)))
	cert := readCert(t, files.Cert(c.Name))
	usage := x509.ExtKeyUsageServerAuth
	if c.Usage == ClientAuth {
		usage = x509.ExtKeyUsageClientAuth
	}
	if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{usage}}); err != nil {
		t.Fatalf("%s does not verify against %s for its usage: %v", c.Name, c.Signer.Name, err)
	}
	return cert
}

func TestEveryCertificateChainsToItsAuthority(t *testing.T) {
	files := testPKI(t)
	for _, c := range Plan("node-a") {
		verify(t, files, c)
	}
}

func TestAPIServerCertificateNamesEveryAddressPodsAndHostUse(t *testing.T) {
	files := testPKI(t)
	cert := verify(t, files, Plan("node-a")[0])
	for _, name := range append(slices.Clone(APIServerDNS), APIServerIPs...) {
		if err := cert.VerifyHostname(name); err != nil {
			t.Errorf("apiserver certificate does not cover %s: %v", name, err)
		}
	}
}

func TestNodeCertificateCarriesTheNodeIdentity(t *testing.T) {
	files := testPKI(t)
	cert := readCert(t, files.Cert(Node))
	if cert.Subject.CommonName != "system:node:node-a" ||
		!slices.Equal(cert.Subject.Organization, []string{"system:nodes"}) {
		t.Fatalf("node certificate subject = %v", cert.Subject)
	}
}

func TestAdminCertificateIsInSystemMasters(t *testing.T) {
	files := testPKI(t)
	cert := readCert(t, files.Cert(Admin))
	if cert.Subject.CommonName != "admin" ||
		!slices.Equal(cert.Subject.Organization, []string{"system:masters"}) {
		t.Fatalf("admin certificate subject = %v", cert.Subject)
	}
}

func TestAuthoritiesAreCertificateAuthorities(t *testing.T) {
	files := testPKI(t)
	for _, ca := range []Authority{ClusterCA, FrontProxyCA} {
		if cert := readCert(t, files.Cert(ca.Name)); !cert.IsCA {
			t.Errorf("%s is not a CA certificate", ca.Name)
		}
	}
}

func TestServiceAccountPublicKeyMatchesSigningKey(t *testing.T) {
	files := testPKI(t)
	pubPEM, err := os.ReadFile(files.ServiceAccountPublicKey())
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(pubPEM)
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM, err := os.ReadFile(files.ServiceAccountKey())
	if err != nil {
		t.Fatal(err)
	}
	block, _ = pem.Decode(keyPEM)
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	rsaKey, ok := key.(*rsa.PrivateKey)
	if !ok || !rsaKey.PublicKey.Equal(pub) || rsaKey.N.BitLen() != 2048 {
		t.Fatalf("sa.pub is not the public half of a 2048-bit RSA sa.key")
	}
}

func TestEveryFileIsReadableByItsOwnerOnly(t *testing.T) {
	files := testPKI(t)
	entries, err := os.ReadDir(files.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatal("the PKI directory is empty")
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if e.IsDir() {
			t.Errorf("left a working directory behind: %s", e.Name())
		} else if info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", e.Name(), info.Mode().Perm())
		}
	}
}
