package domain

import (
	"net/netip"
	"strings"
)

// PrivateAddress reports whether a webhook may not be sent to ip unless
// the operator allows private targets: loopback, private (10/8,
// 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, where cloud
// metadata answers, fe80::/10), unspecified (0.0.0.0, ::), shared
// (100.64/10) and multicast addresses. An endpoint is somewhere on the
// internet; anything else would let presale scan its own network.
func PrivateAddress(ip netip.Addr) bool {
	ip = ip.Unmap()
	return !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() || sharedAddressSpace.Contains(ip)
}

var sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")

// LocalHostName reports whether a host name always means this machine.
func LocalHostName(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	return host == "localhost" || strings.HasSuffix(host, ".localhost")
}

// PrivateTargetMessage is why an endpoint's address is refused.
const PrivateTargetMessage = "This address is on a private, loopback or link-local network; webhooks go to addresses on the internet. An operator may allow private targets (PRESALE_WEBHOOK_PRIVATE_TARGETS=allow)."
