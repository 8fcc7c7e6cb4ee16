package emulator

import (
	"crypto/rand"
	"net/http"

	"github.com/kvquota/kvquota/emulator/kverror"
)

// rngRoutes serve POST /rng (GetRandomBytes, azkeys Client.GetRandomBytes):
// 1-128 random bytes from crypto/rand. Key Vault documents it for Managed
// HSM; the access-policy model has no permission of its own for it, so the
// emulator asks for keys/get, and counts it as a vault transaction.
func rngRoutes(*Vault) []route {
	return []route{
		{method: http.MethodPost, pattern: "rng", handle: randomBytes, classify: classifyKey, need: keysNeed("get"), state: reads},
	}
}

func randomBytes(rq *request) {
	var b struct {
		Count *int `json:"count"`
	}
	if e := rq.decodeBody(&b); e != nil {
		rq.fail(e)
		return
	}
	if b.Count == nil || *b.Count < 1 || *b.Count > 128 {
		rq.fail(kverror.BadParameter("The parameter 'count' must be an integer from 1 to 128."))
		return
	}
	out := make([]byte, *b.Count)
	_, _ = rand.Read(out) // crypto/rand.Read never fails (Go 1.24+)
	rq.ok(backupValue{Value: b64(out)})
}
