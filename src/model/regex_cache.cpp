#include "model/regex_cache.h"

#include <re2/re2.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace obslint {

const re2::RE2& CompiledPattern(std::string_view pattern) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<re2::RE2>, std::less<>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(pattern);
  if (it == cache.end())
    it = cache.emplace(std::string(pattern),
                       std::make_unique<re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()),
                                                  re2::RE2::Quiet))
             .first;
  return *it->second;
}

}  // namespace obslint
