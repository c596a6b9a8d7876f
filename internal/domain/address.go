package domain

import (
	"net/netip"
	"strings"
)

// PrivateAddress reports whether a webhook may not be sent to ip unless
// the operator allows private targets: loopback, private (10/8,
// 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, where cloud
// metadata answers, fe80::/10), unspecified, multicast, and the special
// ranges of notPublic. An endpoint is somewhere on the internet; anything
// else would let presale scan its own network.
func PrivateAddress(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() {
		return true
	}
	for _, p := range notPublic {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// notPublic are ranges that reach no host on the internet, or reach an
// IPv4 host through IPv6 (NAT64, 6to4, Teredo), so an address inside one
// could lead back to a private network.
var notPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),      // this network
	netip.MustParsePrefix("100.64.0.0/10"),  // shared address space (carrier NAT)
	netip.MustParsePrefix("192.0.0.0/24"),   // IETF protocol assignments (a cloud's metadata at 192.0.0.192)
	netip.MustParsePrefix("198.18.0.0/15"),  // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),    // reserved, and the broadcast address
	netip.MustParsePrefix("64:ff9b::/96"),   // NAT64
	netip.MustParsePrefix("64:ff9b:1::/48"), // local-use NAT64
	netip.MustParsePrefix("2002::/16"),      // 6to4
	netip.MustParsePrefix("2001::/32"),      // Teredo
	netip.MustParsePrefix("100::/64"),       // discard
}

// LocalHostName reports whether a host name always means this machine.
func LocalHostName(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	return host == "localhost" || strings.HasSuffix(host, ".localhost")
}

// PrivateTargetMessage is why an endpoint's address is refused.
const PrivateTargetMessage = "This address is on a private, loopback or link-local network; webhooks go to addresses on the internet. An operator may allow private targets (PRESALE_WEBHOOK_PRIVATE_TARGETS=allow)."
