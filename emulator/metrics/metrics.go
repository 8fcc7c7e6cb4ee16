package metrics

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/limits"
)

const namespace = "kvquota_emulator"

// Metrics counts an emulated vault's requests and reads its quota windows at
// scrape time. It is an emulator.Observer: set it as the vault's
// Config.Observer, then Watch the vault.
//
// Requests are a client_golang counter; the quota gauges are a Collector that
// asks the vault for its windows when Prometheus scrapes. The vault keeps its
// windows anyway, so gauges set on every request would only add work to the
// request path.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec

	mu    sync.Mutex
	seen  map[string]map[limits.Class]bool // vaults and the classes asked of each
	vault *emulator.Vault
}

// New returns empty metrics with a registry of their own.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace,
			Name:      "requests_total",
			Help:      "Requests answered by the emulated vault, by vault, transaction class (none: never reached quota) and HTTP status.",
		}, []string{"vault", "class", "code"}),
		seen: make(map[string]map[limits.Class]bool),
	}
	m.reg.MustRegister(m.requests, quotaCollector{m})
	return m
}

// ObserveRequest implements emulator.Observer.
func (m *Metrics) ObserveRequest(vault string, class limits.Class, status int) {
	label := string(class)
	if label == "" {
		label = "none"
	}
	m.requests.WithLabelValues(vault, label, strconv.Itoa(status)).Inc()
	if class == "" {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	cs := m.seen[vault]
	if cs == nil {
		cs = make(map[limits.Class]bool)
		m.seen[vault] = cs
	}
	cs[class] = true
}

// Watch makes the quota gauges read v's windows. Until it is called they are
// absent.
func (m *Metrics) Watch(v *emulator.Vault) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.vault = v
	if m.seen[v.Config().VaultName] == nil {
		m.seen[v.Config().VaultName] = make(map[limits.Class]bool)
	}
}

// Handler serves the metrics in Prometheus' exposition formats. Only GET and
// HEAD are answered.
func (m *Metrics) Handler() http.Handler {
	h := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// quotaCollector reports the watched vault's windows as gauges.
type quotaCollector struct{ m *Metrics }

var (
	usedDesc = prometheus.NewDesc(namespace+"_quota_used",
		"Transactions of the class in the vault's current quota window.", []string{"vault", "class"}, nil)
	fillDesc = prometheus.NewDesc(namespace+"_quota_fill_ratio",
		"The vault window's weighted fill (each transaction costs 1/limit of its class); 1 is full.", []string{"vault"}, nil)
	limitDesc = prometheus.NewDesc(namespace+"_quota_limit",
		"The per-vault limit of the class per window.", []string{"class"}, nil)
	subDesc = prometheus.NewDesc(namespace+"_subscription_fill_ratio",
		"The subscription window's weighted fill against SubscriptionFactor times the limits; 1 is full.", nil, nil)
	windowDesc = prometheus.NewDesc(namespace+"_window_seconds",
		"The length of a quota window in seconds.", nil, nil)
)

// Describe implements prometheus.Collector.
func (quotaCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{usedDesc, fillDesc, limitDesc, subDesc, windowDesc} {
		ch <- d
	}
}

// Collect implements prometheus.Collector: it reads the windows now.
func (c quotaCollector) Collect(ch chan<- prometheus.Metric) {
	m := c.m
	m.mu.Lock()
	seen := make(map[string][]limits.Class, len(m.seen))
	for vault, cs := range m.seen {
		seen[vault] = slices.Sorted(maps.Keys(cs))
	}
	v := m.vault
	m.mu.Unlock()
	if v == nil {
		return
	}
	p := v.Config().Profile
	limited := map[limits.Class]bool{}
	for vault, classes := range seen {
		u := v.VaultUsage(vault)
		ch <- prometheus.MustNewConstMetric(fillDesc, prometheus.GaugeValue, u.Cost(p, 1), vault)
		for _, cl := range classes {
			ch <- prometheus.MustNewConstMetric(usedDesc, prometheus.GaugeValue, float64(u.Count(cl)), vault, string(cl))
			limited[cl] = true
		}
	}
	for cl := range limited {
		if l := p.Limit(cl); l > 0 {
			ch <- prometheus.MustNewConstMetric(limitDesc, prometheus.GaugeValue, float64(l), string(cl))
		}
	}
	sub := v.SubscriptionUsage()
	ch <- prometheus.MustNewConstMetric(subDesc, prometheus.GaugeValue, sub.Cost(p, max(1, p.SubscriptionFactor)))
	ch <- prometheus.MustNewConstMetric(windowDesc, prometheus.GaugeValue, p.Window.Seconds())
}
