package kverror

import (
	"net"
	"net/http"
	"net/netip"
)

// The header names Key Vault sets on every response.
const (
	HeaderRequestID       = "x-ms-request-id"
	HeaderClientRequestID = "x-ms-client-request-id"
	HeaderRegion          = "x-ms-keyvault-region"
	HeaderServiceVersion  = "x-ms-keyvault-service-version"
	HeaderNetworkInfo     = "x-ms-keyvault-network-info"
)

// Defaults for the service identity headers: clearly not a real region or
// build, so that nobody mistakes an emulator capture for a real one.
const (
	DefaultRegion         = "emulated"
	DefaultServiceVersion = "1.9.0.0-emulated"
)

// NetworkInfo formats x-ms-keyvault-network-info for a client address
// (r.RemoteAddr form, "ip:port"), as the real service does:
// "conn_type=Ipv4;addr=203.0.113.7;act_addr_fam=InterNetwork;". IPv6 clients
// get Ipv6 and InterNetworkV6.
func NetworkInfo(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err == nil {
		addr = addr.Unmap()
	}
	if err == nil && addr.Is6() {
		return "conn_type=Ipv6;addr=" + addr.String() + ";act_addr_fam=InterNetworkV6;"
	}
	if err == nil {
		host = addr.String()
	}
	return "conn_type=Ipv4;addr=" + host + ";act_addr_fam=InterNetwork;"
}

// setCommon sets the headers the real service sends on every answer
// (compare the recordings in Azure/azure-sdk-for-go azsecrets testdata).
func (wr Writer) setCommon(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("Pragma", "no-cache")
	h.Set("Expires", "-1")
	h.Set("Strict-Transport-Security", "max-age=31536000;includeSubDomains")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set(HeaderRequestID, NewRequestID())
	if id := r.Header.Get(HeaderClientRequestID); id != "" {
		h.Set(HeaderClientRequestID, id)
	}
	h.Set(HeaderRegion, orDefault(wr.Region, DefaultRegion))
	h.Set(HeaderServiceVersion, orDefault(wr.ServiceVersion, DefaultServiceVersion))
	h.Set(HeaderNetworkInfo, NetworkInfo(r.RemoteAddr))
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
