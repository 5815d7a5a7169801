#pragma once

// The loader's IP key grammar lives in listing (one grammar for zone files, shunctl and the web page).
#include "shun/listing/ip_text.hpp"

namespace shun::zone {

using listing::forEachOctetBlock;
using listing::ip4KeyLength;
using listing::ip4Last;
using listing::Ip4Range;
using listing::ip6KeyLength;
using listing::ip6Last;
using listing::Ip6Prefix;
using listing::parseIp4Cidr;
using listing::parseIp4SetKey;
using listing::parseIp6Address;
using listing::parseIp6Cidr;
using listing::parseIp6Slash64;

} // namespace shun::zone
