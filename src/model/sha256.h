// SHA-256 (FIPS 180-4), for the one place obslint needs it: the uid Grafana
// derives from the name of a datasource provisioned without one. Small and
// dependency-free (libcrypto is not among obslint's dependencies).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace obslint {

std::array<uint8_t, 32> Sha256(std::string_view data);
// Lower-case hex of the digest.
std::string Sha256Hex(std::string_view data);

}  // namespace obslint
