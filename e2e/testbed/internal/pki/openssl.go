package pki

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// validDays is long enough that no test bed outlives its certificates.
const validDays = "3650"

// Create makes the whole PKI of a test bed whose node is nodeName in files.Dir: both CAs,
// every certificate of Plan(nodeName) and the service-account key pair. Keys are ECDSA
// P-256, except the service-account key (RSA 2048, the signing algorithm every client
// accepts). Every file, and the directory, is readable by its owner only.
// REQUIRES: the openssl command on PATH; ValidNodeName(nodeName) == nil.
// Returns an error naming the openssl command and its output when one fails.
func Create(files Files, nodeName string) error {
	if err := ValidNodeName(nodeName); err != nil {
		return err
	}
	if err := os.MkdirAll(files.Dir, 0o700); err != nil {
		return err
	}
	if err := os.Chmod(files.Dir, 0o700); err != nil {
		return err
	}
	work, err := os.MkdirTemp(files.Dir, ".openssl-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	for _, ca := range []Authority{ClusterCA, FrontProxyCA} {
		if err := createAuthority(files, work, ca); err != nil {
			return fmt.Errorf("%s: %w", ca.Name, err)
		}
	}
	for _, c := range Plan(nodeName) {
		if err := createCertificate(files, work, c); err != nil {
			return fmt.Errorf("%s: %w", c.Name, err)
		}
	}
	if err := openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
		"-out", files.ServiceAccountKey()); err != nil {
		return fmt.Errorf("service-account key: %w", err)
	}
	if err := openssl("pkey", "-in", files.ServiceAccountKey(), "-pubout",
		"-out", files.ServiceAccountPublicKey()); err != nil {
		return fmt.Errorf("service-account key: %w", err)
	}
	return restrictPermissions(files.Dir)
}

func createAuthority(files Files, work string, ca Authority) error {
	config := filepath.Join(work, ca.Name+".cnf")
	if err := os.WriteFile(config, []byte(authorityConfig), 0o600); err != nil {
		return err
	}
	if err := newKey(files.Key(ca.Name)); err != nil {
		return err
	}
	return openssl("req", "-x509", "-new", "-config", config, "-key", files.Key(ca.Name),
		"-subj", "/CN="+ca.CommonName, "-days", validDays, "-sha256", "-out", files.Cert(ca.Name))
}

func createCertificate(files Files, work string, c Certificate) error {
	request := filepath.Join(work, c.Name+".cnf")
	extensions := filepath.Join(work, c.Name+".ext")
	csr := filepath.Join(work, c.Name+".csr")
	if err := os.WriteFile(request, []byte(requestConfig), 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(extensions, []byte(c.Extensions()), 0o600); err != nil {
		return err
	}
	if err := newKey(files.Key(c.Name)); err != nil {
		return err
	}
	if err := openssl("req", "-new", "-config", request, "-key", files.Key(c.Name),
		"-subj", c.Subject(), "-out", csr); err != nil {
		return err
	}
	serial, err := randomSerial()
	if err != nil {
		return err
	}
	return openssl("x509", "-req", "-in", csr, "-CA", files.Cert(c.Signer.Name),
		"-CAkey", files.Key(c.Signer.Name), "-set_serial", serial, "-days", validDays, "-sha256",
		"-extfile", extensions, "-extensions", "leaf", "-out", files.Cert(c.Name))
}

func newKey(path string) error {
	return openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
		"-out", path)
}

// randomSerial returns a positive 127-bit serial number in openssl's 0x notation; random
// serials keep certificates of two test beds made in the same second distinct.
func randomSerial() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	b[0] &= 0x7f
	return "0x" + hex.EncodeToString(b), nil
}

func openssl(args ...string) error {
	cmd := exec.Command("openssl", args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("openssl %s: %w: %s", strings.Join(args, " "), err,
			strings.TrimSpace(out.String()))
	}
	return nil
}

func restrictPermissions(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Type().IsRegular() {
			if err := os.Chmod(filepath.Join(dir, e.Name()), 0o600); err != nil {
				return err
			}
		}
	}
	return nil
}
