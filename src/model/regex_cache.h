// RE2 patterns from the knowledge base, compiled once per process and shared
// by every thread (compiling costs far more than matching).
#pragma once

#include <string_view>

namespace re2 {
class RE2;
}

namespace obslint {

// The compiled pattern (check ok() before use: invalid patterns are kept,
// never logged, so they are compiled once too).
const re2::RE2& CompiledPattern(std::string_view pattern);

}  // namespace obslint
