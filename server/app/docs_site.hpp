#pragma once
// Swagger UI at /docs, from the swagger-ui-dist package (installed by the project's scripts, never a
// CDN). The few files the page needs are read once at start-up; the initializer is the daemon's own, so
// the page loads /api/v1/openapi.json from this server.
#include <map>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace racetimingd::app {

class DocsSite {
 public:
  explicit DocsSite(const std::string& dist_dir);
  bool available() const { return !files_.empty(); }
  // /docs redirects to /docs/ (the page's asset paths are relative), which is index.html.
  http::Response page(std::string_view path) const;
  // One file of the page; anything else is 404.
  http::Response file(std::string_view name) const;

 private:
  struct File {
    std::string content_type, body;
  };
  std::map<std::string, File, std::less<>> files_;
};

}  // namespace racetimingd::app
