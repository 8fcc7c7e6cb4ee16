package discover

import (
	"fmt"
	"strings"

	"github.com/kvquota/kvquota/limits"
)

// probeRequest is how one class is probed: a setup request to send once
// (empty Method: none) and the request to repeat.
type probeRequest struct {
	SetupMethod, SetupPath, SetupBody string
	Method, Path, Body                string
}

// requestFor returns how class c is probed, naming the objects it touches
// with name:
//   - secrets: GET of a secret that does not exist. A 404 is a transaction
//     like any other (the emulator counts it, as Key Vault does), and reading
//     nothing leaves nothing behind and needs no setup;
//   - secrets-create: setting one secret, again and again (each set is a new
//     version of that one secret);
//   - a keys row's "other" cell, such as rsa2048-software-other: GET of a
//     key of that type created once at the start (one CREATE, then a settle
//     wait so the CREATE has left the window).
//
// CREATE cells of the keys table are not probed: each probe would make a
// key, and their limits (5 to 20 per window) are reached in a handful of
// requests that an ordinary onset scenario measures as well.
func requestFor(c limits.Class, name string) (probeRequest, error) {
	switch c {
	case limits.Secrets:
		return probeRequest{Method: "GET", Path: "/secrets/" + name + "-absent"}, nil
	case limits.SecretsCreate:
		return probeRequest{Method: "PUT", Path: "/secrets/" + name, Body: `{"value":"kvquota discover probe"}`}, nil
	}
	for _, kt := range limits.KeyTypes {
		for _, hsm := range []bool{false, true} {
			if limits.KeyClass(kt, hsm, false) != c {
				continue
			}
			kty, spec := "RSA", `"key_size":2048`
			switch kt {
			case limits.RSA3072:
				spec = `"key_size":3072`
			case limits.RSA4096:
				spec = `"key_size":4096`
			case limits.EC:
				kty, spec = "EC", `"crv":"P-256"`
			}
			if hsm {
				kty += "-HSM"
			}
			return probeRequest{
				SetupMethod: "POST", SetupPath: "/keys/" + name + "/create",
				SetupBody: fmt.Sprintf(`{"kty":%q,%s}`, kty, spec),
				Method:    "GET", Path: "/keys/" + name,
			}, nil
		}
	}
	if strings.HasSuffix(string(c), "-create") {
		return probeRequest{}, fmt.Errorf("class %s: key CREATE cells are not probed (each probe would make a key); use the built-in scenario %s-onset", c, c)
	}
	return probeRequest{}, fmt.Errorf("class %s cannot be probed", c)
}
