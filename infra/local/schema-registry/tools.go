//go:build tools

// Package tools pins the schema registry the local stack builds
// (see ../lib/schema-registry.sh); it is never compiled on its own.
package tools

import _ "github.com/axonops/axonops-schema-registry/cmd/schema-registry"
