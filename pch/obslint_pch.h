// Precompiled header: the standard and third-party headers (and the model)
// nearly every translation unit includes. Only speeds builds up: every file
// still includes what it uses, and OBSLINT_PCH=OFF / -Db_pch=false build
// without it.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "engine/reporter.h"
#include "knowledge/knowledge.h"
#include "model/project.h"
