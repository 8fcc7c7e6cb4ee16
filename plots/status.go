package plots

import (
	"image/color"
	"math"
	"time"
)

// status groups HTTP status codes as the status figure stacks them: the
// groups a Key Vault load test tells apart.
type status uint8

const (
	status2xx      status = iota // success
	status429                    // throttled
	status401                    // unauthenticated
	status403                    // forbidden
	status4xx                    // any other client error
	status5xx                    // server error
	statusNone                   // no response at all
	statusOther                  // 1xx, 3xx, or a code out of range
	statusGroups   = iota        // how many groups there are
	maxLatency     = math.MaxUint32
	microsPerMilli = 1000.0
)

// statusNames and statusColors label and colour the groups in stacking
// order, bottom up.
var (
	statusNames = [statusGroups]string{"2xx", "429 throttled", "401 unauthorized", "403 forbidden", "other 4xx", "5xx", "no response", "other status"}
	statusFills = [statusGroups]color.RGBA{
		succeededColor, throttledColor,
		{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}, // 401 orange
		{R: 0xe3, G: 0x77, B: 0xc2, A: 0xff}, // 403 pink
		{R: 0xbc, G: 0xbd, B: 0x22, A: 0xff}, // 4xx olive
		failedColor,                          // 5xx purple
		{R: 0x7f, G: 0x7f, B: 0x7f, A: 0xff}, // none grey
		{R: 0x17, G: 0xbe, B: 0xcf, A: 0xff}, // other cyan
	}
)

func statusOf(code uint16) status {
	switch {
	case code == 0:
		return statusNone
	case code >= 200 && code < 300:
		return status2xx
	case code == 429:
		return status429
	case code == 401:
		return status401
	case code == 403:
		return status403
	case code >= 400 && code < 500:
		return status4xx
	case code >= 500 && code < 600:
		return status5xx
	}
	return statusOther
}

// micros converts a latency to whole microseconds, saturating.
func micros(d time.Duration) uint32 {
	us := d.Microseconds()
	switch {
	case us < 0:
		return 0
	case us > maxLatency:
		return maxLatency
	}
	return uint32(us)
}
