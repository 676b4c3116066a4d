//go:build tools

// Package tools pins the Helm release that scripts/helm.sh builds.
package tools

import (
	_ "helm.sh/helm/v3/cmd/helm"
)
