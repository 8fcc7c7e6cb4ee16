// Package metrics exposes an emulated vault to Prometheus, so a capacity test
// against `kvquota emulate --metrics ADDR` can be watched in Grafana while it
// runs: what was asked of each vault, what was throttled, and how full each
// quota window is.
//
// The series, all prefixed kvquota_emulator_:
//
//	requests_total{vault,class,code}   requests answered; class is the transaction
//	                                   class counted ("none" for requests that never
//	                                   reached quota: tokens, 401s, bad routes)
//	quota_used{vault,class}            transactions of the class in the vault's
//	                                   current window, read at scrape time
//	quota_limit{class}                 the per-vault limit of the class per window
//	quota_fill_ratio{vault}            the window's weighted fill, each transaction
//	                                   costing 1/limit of its class: 1 is full
//	subscription_fill_ratio            the same for the subscription (all vaults,
//	                                   against SubscriptionFactor times the limits)
//	window_seconds                     the length of a window
//
// In Grafana, rate(kvquota_emulator_requests_total{code="429"}[10s]) beside
// quota_fill_ratio shows throttling begin as the window reaches 1.
package metrics
