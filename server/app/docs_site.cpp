#include "app/docs_site.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "racetiming/error.hpp"

namespace racetimingd::app {

using racetiming::Error;
using racetiming::ErrorCode;

namespace {

constexpr std::pair<const char*, const char*> kDistFiles[] = {
    {"index.html", "text/html; charset=utf-8"},
    {"swagger-ui.css", "text/css"},
    {"index.css", "text/css"},
    {"swagger-ui-bundle.js", "text/javascript"},
    {"swagger-ui-standalone-preset.js", "text/javascript"},
    {"favicon-32x32.png", "image/png"},
    {"favicon-16x16.png", "image/png"},
};

constexpr const char* kInitializer = R"(window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout"
  });
};
)";

}  // namespace

DocsSite::DocsSite(const std::string& dist_dir) {
  if (dist_dir.empty() || !std::filesystem::exists(std::filesystem::path(dist_dir) / "swagger-ui-bundle.js")) return;
  for (const auto& [name, type] : kDistFiles) {
    std::ifstream in(std::filesystem::path(dist_dir) / name, std::ios::binary);
    if (!in) continue;
    std::ostringstream body;
    body << in.rdbuf();
    files_.emplace(name, File{type, body.str()});
  }
  files_.emplace("swagger-initializer.js", File{"text/javascript", kInitializer});
}

http::Response DocsSite::page(std::string_view path) const {
  if (!path.ends_with('/')) {
    http::Response r;
    r.status = 301;
    r.content_type.clear();
    r.headers.emplace_back("Location", "/docs/");
    return r;
  }
  return file("index.html");
}

http::Response DocsSite::file(std::string_view name) const {
  if (!available()) throw Error(ErrorCode::not_found, "Swagger UI is not installed on this server (see --docs-dir)");
  auto it = files_.find(name);
  if (it == files_.end()) throw Error(ErrorCode::not_found, "no such file");
  http::Response r;
  r.content_type = it->second.content_type;
  r.body = it->second.body;
  r.headers.emplace_back("Cache-Control", "public, max-age=3600");
  return r;
}

}  // namespace racetimingd::app
