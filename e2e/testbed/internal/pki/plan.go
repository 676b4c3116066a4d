// Package pki makes the test bed's certificate authorities, certificates and the
// service-account signing key with the openssl command, and names the files they live in.
package pki

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

// The addresses the API server is reached at: loopback from the host, the node bridge
// from pods (through the node agent's forwarder) and the first service IP, which
// in-cluster clients resolve `kubernetes.default.svc` to.
var (
	APIServerIPs = []string{"127.0.0.1", "198.18.0.1", "10.96.0.1"}
	APIServerDNS = []string{
		"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
		"kubernetes.default.svc.cluster.local",
	}
)

// Usage says whether a certificate authenticates a server or a client.
type Usage int

const (
	ServerAuth Usage = iota
	ClientAuth
)

// Authority is one of the two certificate authorities: the cluster CA, which signs every
// serving and client certificate, and the front-proxy CA, which only signs the client
// certificate the API server presents to aggregated API servers.
type Authority struct {
	Name       string // file base name: <Name>.crt, <Name>.key
	CommonName string
}

var (
	ClusterCA    = Authority{Name: "ca", CommonName: "modelgate-testbed-ca"}
	FrontProxyCA = Authority{Name: "front-proxy-ca", CommonName: "modelgate-testbed-front-proxy-ca"}
)

// Certificate describes one leaf certificate to issue.
type Certificate struct {
	Name          string // file base name: <Name>.crt, <Name>.key
	CommonName    string
	Organizations []string
	Usage         Usage
	DNSNames      []string
	IPs           []string
	Signer        Authority
}

// Files names every file of the PKI inside one directory.
type Files struct {
	Dir string
}

// Cert returns the path of the certificate called name (an Authority's or Certificate's Name).
func (f Files) Cert(name string) string { return filepath.Join(f.Dir, name+".crt") }

// Key returns the path of the private key called name.
func (f Files) Key(name string) string { return filepath.Join(f.Dir, name+".key") }

// ServiceAccountKey returns the path of the private key that signs service-account tokens.
func (f Files) ServiceAccountKey() string { return filepath.Join(f.Dir, "sa.key") }

// ServiceAccountPublicKey returns the path of the public half of ServiceAccountKey.
func (f Files) ServiceAccountPublicKey() string { return filepath.Join(f.Dir, "sa.pub") }

// Names of the leaf certificates, for the components that use them.
const (
	APIServer         = "apiserver"
	Admin             = "admin"
	ControllerManager = "kube-controller-manager"
	Scheduler         = "kube-scheduler"
	Node              = "node"
	FrontProxyClient  = "front-proxy-client"
)

var dnsSubdomain = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)

// ValidNodeName reports whether name can be a Node's name (a DNS-1123 subdomain), which
// also keeps it safe inside an openssl subject.
// Returns an error naming the value when it cannot.
func ValidNodeName(name string) error {
	if len(name) == 0 || len(name) > 253 || !dnsSubdomain.MatchString(name) {
		return fmt.Errorf("node name %q: must be a DNS-1123 subdomain (lower case letters, digits, '-', '.')", name)
	}
	return nil
}

// Plan lists the leaf certificates of a test bed whose one node is called nodeName.
// REQUIRES: ValidNodeName(nodeName) == nil.
func Plan(nodeName string) []Certificate {
	return []Certificate{
		{Name: APIServer, CommonName: "kube-apiserver", Usage: ServerAuth,
			DNSNames: APIServerDNS, IPs: APIServerIPs, Signer: ClusterCA},
		{Name: Admin, CommonName: "admin", Organizations: []string{"system:masters"},
			Usage: ClientAuth, Signer: ClusterCA},
		{Name: ControllerManager, CommonName: "system:kube-controller-manager",
			Usage: ClientAuth, Signer: ClusterCA},
		{Name: Scheduler, CommonName: "system:kube-scheduler", Usage: ClientAuth, Signer: ClusterCA},
		{Name: Node, CommonName: "system:node:" + nodeName, Organizations: []string{"system:nodes"},
			Usage: ClientAuth, Signer: ClusterCA},
		{Name: FrontProxyClient, CommonName: "front-proxy-client", Usage: ClientAuth,
			Signer: FrontProxyCA},
	}
}

// Subject renders c's distinguished name the way `openssl req -subj` reads it.
func (c Certificate) Subject() string {
	var b strings.Builder
	for _, o := range c.Organizations {
		b.WriteString("/O=" + o)
	}
	b.WriteString("/CN=" + c.CommonName)
	return b.String()
}

// Extensions renders the X.509 v3 extensions of c as an openssl configuration section
// called [leaf].
func (c Certificate) Extensions() string {
	usage := "serverAuth"
	if c.Usage == ClientAuth {
		usage = "clientAuth"
	}
	lines := []string{
		"[leaf]",
		"basicConstraints = critical,CA:FALSE",
		"keyUsage = critical,digitalSignature,keyEncipherment",
		"extendedKeyUsage = " + usage,
		"subjectKeyIdentifier = hash",
		"authorityKeyIdentifier = keyid",
	}
	var alt []string
	for _, d := range c.DNSNames {
		alt = append(alt, "DNS:"+d)
	}
	for _, ip := range c.IPs {
		alt = append(alt, "IP:"+ip)
	}
	if len(alt) > 0 {
		lines = append(lines, "subjectAltName = "+strings.Join(alt, ","))
	}
	return strings.Join(lines, "\n") + "\n"
}

// authorityConfig is the openssl configuration for a self-signed CA certificate.
const authorityConfig = `[req]
distinguished_name = dn
x509_extensions = ca
[dn]
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature,keyEncipherment,keyCertSign
subjectKeyIdentifier = hash
`

// requestConfig is the openssl configuration for a certificate request; the subject
// comes from -subj and the extensions are added when the CA signs it.
const requestConfig = `[req]
distinguished_name = dn
[dn]
`
