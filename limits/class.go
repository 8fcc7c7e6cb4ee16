package limits

import (
	"fmt"
	"sort"
	"strings"
)

// Class is one transaction class: a cell of the documented limits tables, such as
// "secrets" (all secret transactions but set) or "rsa2048-hsm-create".
type Class string

// Secret and vault transaction classes.
const (
	// SecretsCreate is setting a secret (PUT /secrets/{name}). The 2018 text
	// folds it into "all transactions"; the 2021 text gives it a row of its
	// own; the 2025 text shares that row with key and certificate imports
	// (Profile.SharedImport). The name stays, as scenario files use it.
	SecretsCreate Class = "secrets-create"
	// Secrets is every other secret, managed storage account key and vault
	// transaction.
	Secrets Class = "secrets"
)

// KeyType names a row of the keys table.
type KeyType string

// The key types of the documented tables. EC curves share one row.
const (
	RSA2048 KeyType = "rsa2048"
	RSA3072 KeyType = "rsa3072"
	RSA4096 KeyType = "rsa4096"
	EC      KeyType = "ec"
)

// KeyTypes lists the rows of the keys table in the documentation's order.
var KeyTypes = []KeyType{RSA2048, RSA3072, RSA4096, EC}

// KeyClass returns the class of a key operation: its key type, whether the key is
// HSM-protected, and whether the operation is CREATE or one of "all other".
func KeyClass(kt KeyType, hsm, create bool) Class {
	prot := "software"
	if hsm {
		prot = "hsm"
	}
	op := "other"
	if create {
		op = "create"
	}
	return Class(fmt.Sprintf("%s-%s-%s", kt, prot, op))
}

// AllClasses lists every class a profile defines, in a stable order: secrets
// first, then keys in table order.
func AllClasses() []Class {
	cs := []Class{SecretsCreate, Secrets}
	for _, kt := range KeyTypes {
		for _, hsm := range []bool{true, false} {
			for _, create := range []bool{true, false} {
				cs = append(cs, KeyClass(kt, hsm, create))
			}
		}
	}
	return cs
}

// ParseClass accepts a class name as printed by `kvquota limits`.
func ParseClass(s string) (Class, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, c := range AllClasses() {
		if string(c) == s {
			return c, nil
		}
	}
	names := make([]string, 0, len(AllClasses()))
	for _, c := range AllClasses() {
		names = append(names, string(c))
	}
	sort.Strings(names)
	return "", fmt.Errorf("unknown transaction class %q (known: %s)", s, strings.Join(names, ", "))
}
