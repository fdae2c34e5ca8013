#pragma once
// The one header an embedder includes: the Engine and its value types, and the formatters that print
// them (rows as JSON or CSV, durations as H:MM:SS). Everything else installed under racetiming/ is
// reachable for hosts that need it; what lives under racetiming/detail/ is not API.
#include "racetiming/engine.hpp"
#include "racetiming/error.hpp"
#include "racetiming/expected.hpp"
#include "racetiming/format/audit_json.hpp"
#include "racetiming/format/csv.hpp"
#include "racetiming/format/integrations_json.hpp"
#include "racetiming/format/json.hpp"
#include "racetiming/format/markdown.hpp"
#include "racetiming/format/svg.hpp"
#include "racetiming/report.hpp"
#include "racetiming/records.hpp"
#include "racetiming/sport/durations.hpp"
