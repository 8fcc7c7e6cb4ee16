package emulator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kvquota/kvquota/limits"
)

// BenchmarkServeGetSecret is the emulator's own cost for one authenticated,
// quota-accounted secret GET, without the network: what `kvquota bench
// throughput` measures end to end, taken apart.
func BenchmarkServeGetSecret(b *testing.B) {
	p, err := limits.MustGet("2021").WithOverrides(map[limits.Class]int{limits.Secrets: 1 << 30, limits.SecretsCreate: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	v, err := New(Config{Profile: p})
	if err != nil {
		b.Fatal(err)
	}
	tok, err := v.Issuer().Issue(v.Config().Identities[0].ClientID)
	if err != nil {
		b.Fatal(err)
	}
	bearer := "Bearer " + tok.AccessToken
	put := httptest.NewRequest(http.MethodPut, base+"/secrets/bench?api-version=7.5", strings.NewReader(`{"value":"00000000000000000000000000000000"}`))
	put.Header.Set("Authorization", bearer)
	put.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	v.ServeHTTP(w, put)
	if w.Code != http.StatusOK {
		b.Fatalf("set: %d %s", w.Code, w.Body)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := httptest.NewRequest(http.MethodGet, base+"/secrets/bench?api-version=7.5", nil)
			r.Header.Set("Authorization", bearer)
			w := httptest.NewRecorder()
			v.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				b.Fatalf("get: %d %s", w.Code, w.Body)
			}
		}
	})
}
