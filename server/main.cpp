// racetimingd: the REST daemon. Flags (and RACETIMING_DB) configure it; SIGINT/SIGTERM drain in-flight
// requests and exit 0.
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "app/api.hpp"
#include "http/server.hpp"
#include "racetiming/engine.hpp"

int main(int argc, char** argv) {
  CLI::App cli{"racetimingd: the racetiming REST daemon"};
  std::string db_url = "sqlite:racetiming.db";
  std::string listen = "127.0.0.1:8080";
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::size_t pool = 8;
  std::uint64_t body_limit = 1024 * 1024;
  std::string base_domain = "racetiming.local";
  std::vector<std::string> jwt_keys, jwt_retired;
  std::string jwt_issuer = "racetiming", jwt_audience = "racetiming-api";
  std::string docs_dir = RACETIMING_DOCS_DIR;
  std::size_t nl_cache = 4096, report_cache = 256;
  std::string llm_url, llm_model = "gpt-4o-mini", llm_key, data_dir, credentials_key_file;
  unsigned sync_workers = 2;
  unsigned llm_timeout_ms = 15000;
  bool quiet = false;
  std::vector<std::string> cors_origins;
  std::vector<std::string> rate_limits, trusted_proxies;
  std::string redis_url, redis_failure = "open", read_db_url;
  std::size_t response_cache_mb = 64;
  bool audit = true;
  std::string tls_cert, tls_key, tls_min_version = "1.2";
  // Each setting comes from its flag, else its environment variable, else the --config file (TOML or
  // INI, `key = value` with the flag's name as key), else the default.
  cli.set_config("--config", "", "optional configuration file (key = value, keys named as the flags)");
  cli.add_option("--db", db_url, "database URL: sqlite:PATH or postgresql://...")->envname("RACETIMING_DB");
  cli.add_option("--read-db", read_db_url, "a PostgreSQL streaming replica for reads: postgresql://...")
      ->envname("RACETIMING_READ_DB");
  cli.add_option("--listen", listen, "address:port to serve on")->envname("RACETIMING_LISTEN");
  cli.add_option("--threads", threads, "I/O threads")->check(CLI::Range(1u, 256u))->envname("RACETIMING_THREADS");
  cli.add_option("--pool", pool, "database connections (and database worker threads)")
      ->check(CLI::Range(1, 1024))
      ->envname("RACETIMING_POOL");
  cli.add_option("--body-limit", body_limit, "largest request body in bytes")->envname("RACETIMING_BODY_LIMIT");
  cli.add_option("--base-domain", base_domain, "domain tenancy: {slug}-api.BASE_DOMAIN")->envname("RACETIMING_BASE_DOMAIN");
  cli.add_option("--jwt-key", jwt_keys, "KID:SECRET (32+ bytes); repeat to rotate, the first signs");
  cli.add_option("--jwt-retire", jwt_retired, "a KID whose tokens are no longer accepted");
  cli.add_option("--jwt-issuer", jwt_issuer, "iss of issued and accepted tokens");
  cli.add_option("--jwt-audience", jwt_audience, "aud of issued and accepted tokens");
  cli.add_option("--docs-dir", docs_dir, "swagger-ui-dist directory served at /docs")->envname("RACETIMING_DOCS_DIR");
  cli.add_option("--nl-cache", nl_cache, "natural-language answers kept in memory (0: none)")->envname("RACETIMING_NL_CACHE");
  cli.add_option("--llm-url", llm_url, "OpenAI-compatible chat-completions URL for questions the rules refuse (off when empty)")
      ->envname("RACETIMING_LLM_URL");
  cli.add_option("--llm-model", llm_model, "the model the fallback asks")->envname("RACETIMING_LLM_MODEL");
  cli.add_option("--llm-timeout", llm_timeout_ms, "milliseconds the fallback may take")->envname("RACETIMING_LLM_TIMEOUT");
  cli.add_option("--llm-key", llm_key, "the fallback's API key (prefer the environment)")->envname("RACETIMING_LLM_KEY");
  cli.add_option("--cors-origin", cors_origins, "a browser origin allowed to call the API (OpenWebUI's, e.g. http://localhost:3000); repeat for more, * for any")
      ->envname("RACETIMING_CORS_ORIGIN");
  cli.add_option("--report-cache", report_cache, "analytics and reports kept in memory per data version (0: none)")
      ->envname("RACETIMING_REPORT_CACHE");
  cli.add_option("--data-dir", data_dir, "reference tables (age-grade*.csv, boston-qualifying*.csv) replacing the built-in ones")
      ->envname("RACETIMING_DATA_DIR");
  cli.add_option("--credentials-key-file", credentials_key_file,
                 "a file holding the passphrase that seals providers' credentials at rest (else RACETIMING_CREDENTIALS_KEY; "
                 "without either, integrations cannot store credentials)")
      ->envname("RACETIMING_CREDENTIALS_KEY_FILE");
  cli.add_option("--sync-workers", sync_workers, "provider syncs running at once (more wait their turn)")
      ->check(CLI::Range(1u, 64u))
      ->envname("RACETIMING_SYNC_WORKERS");
  cli.add_option("--rate-limit", rate_limits,
                 "CLASS=COUNT/WINDOW (reads, writes, nl-query, imports, auth, auth-failures; \"reads=6000/1m\", "
                 "\"imports=off\"), or PARTNER:CLASS=... for one partner (id or slug); repeat for more")
      ->envname("RACETIMING_RATE_LIMIT");
  cli.add_option("--response-cache", response_cache_mb,
                 "MiB of answers kept in memory per data version (0: none; ETags and 304s still work); with --redis, "
                 "answers are kept there instead")
      ->envname("RACETIMING_RESPONSE_CACHE");
  cli.add_option("--redis", redis_url,
                 "redis://host:port: rate limits and cached answers shared by every daemon naming it (else in process)")
      ->envname("RACETIMING_REDIS");
  cli.add_option("--redis-failure", redis_failure, "when Redis cannot answer: open (allow) or closed (503)")
      ->check(CLI::IsMember({"open", "closed"}))
      ->envname("RACETIMING_REDIS_FAILURE");
  cli.add_option("--trusted-proxy", trusted_proxies, "an address or network whose X-Forwarded-For is believed; repeat for more")
      ->envname("RACETIMING_TRUSTED_PROXY");
  cli.add_option("--tls-cert", tls_cert, "PEM certificate chain: serve HTTPS (with --tls-key); SIGHUP reads both again")
      ->envname("RACETIMING_TLS_CERT");
  cli.add_option("--tls-key", tls_key, "PEM private key of --tls-cert")->envname("RACETIMING_TLS_KEY");
  cli.add_option("--tls-min-version", tls_min_version, "1.2 (TLS 1.2 and 1.3) or 1.3 (1.3 only)")
      ->check(CLI::IsMember({"1.2", "1.3"}))
      ->envname("RACETIMING_TLS_MIN_VERSION");
  cli.add_flag("--audit,!--no-audit", audit, "an audit row per API call and per refused attempt (default on)")
      ->envname("RACETIMING_AUDIT");
  cli.add_flag("--quiet", quiet, "no access log (one JSON line per request on standard output)");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  try {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) throw racetiming::Error(racetiming::ErrorCode::invalid_parameter, "--listen must be address:port");
    racetimingd::http::ServerOptions options;
    options.address = listen.substr(0, colon);
    options.port = static_cast<std::uint16_t>(std::stoul(listen.substr(colon + 1)));
    options.io_threads = threads;
    options.body_limit = body_limit;
    options.tls_cert = tls_cert;
    options.tls_key = tls_key;
    options.tls_min_version = tls_min_version;
    options.on_tls_reload = [](const std::string& error) {
      if (error.empty()) spdlog::info("TLS: certificate reloaded");
      else spdlog::error("TLS: the certificate was not reloaded, the old one stays: {}", error);
    };

    racetiming::EngineOptions engine_options{.pool_size = pool, .acquire_timeout = std::chrono::milliseconds(500), .migrate = false};
    engine_options.nl.cache_entries = nl_cache;
    engine_options.reference_dir = data_dir;
    engine_options.report_cache_entries = report_cache;
    engine_options.credentials_key = racetiming::credentials_key_from(credentials_key_file);
    engine_options.audit.enabled = audit;
    engine_options.read_url = read_db_url;
    engine_options.audit.report_failure = [](const std::string& cause) {
      spdlog::error("audit: a batch could not be written (kept, retried in a second): {}", cause);
    };
    if (!llm_url.empty())
      engine_options.nl.llm = racetiming::nl::LlmFallback{llm_url, llm_model, llm_key, std::chrono::milliseconds(llm_timeout_ms)};
    racetimingd::app::ApiOptions api_options{base_domain, static_cast<unsigned>(pool), nullptr, docs_dir, cors_origins,
                                             sync_workers};
    if (!quiet) {
      api_options.access_log = spdlog::stdout_logger_mt("access");
      api_options.access_log->set_pattern("%v");
    }
    if (!jwt_keys.empty()) {
      racetiming::auth::JwtConfig jwt;
      jwt.issuer = jwt_issuer;
      jwt.audience = jwt_audience;
      for (const auto& spec : jwt_keys) {
        const auto separator = spec.find(':');
        if (separator == std::string::npos)
          throw racetiming::Error(racetiming::ErrorCode::invalid_parameter, "--jwt-key must be KID:SECRET");
        const std::string kid = spec.substr(0, separator);
        jwt.keys.push_back({kid, spec.substr(separator + 1),
                            std::find(jwt_retired.begin(), jwt_retired.end(), kid) != jwt_retired.end()});
      }
      engine_options.jwt = std::move(jwt);  // the Engine refuses a bad key now, not at the first request
    }
    racetiming::Engine engine(db_url, engine_options);
    // The embedded default creates its own schema; PostgreSQL is migrated by its owner (racetiming db migrate).
    if (engine.dialect() == racetiming::Dialect::sqlite) engine.migrate();
    if (engine.schema_version() == 0)
      throw racetiming::Error(racetiming::ErrorCode::unavailable, "the database has no schema: run 'racetiming db migrate'");
    auto& limits = api_options.rate_limits;
    for (const auto& spec : rate_limits) limits.policy.configure(spec);
    limits.policy.resolve_partners([&engine](const std::string& slug) -> std::optional<std::int64_t> {
      const auto partner = engine.find_partner(slug);
      return partner ? std::optional<std::int64_t>(partner->timing_partner_id) : std::nullopt;
    });
    limits.trusted_proxies = trusted_proxies;
    if (redis_url.empty()) {
      limits.limiter = racetiming::limits::make_local_rate_limiter();
    } else {
      racetiming::limits::RedisOptions redis{.url = redis_url,
                                             .on_failure = redis_failure == "closed" ? racetiming::limits::FailurePolicy::closed
                                                                                     : racetiming::limits::FailurePolicy::open};
      redis.report_failure = [policy = redis_failure](const std::string& cause) {
        spdlog::warn("rate limits: Redis cannot answer ({}); failing {} for a second", cause, policy);
      };
      limits.limiter = racetiming::limits::make_redis_rate_limiter(std::move(redis));
    }
    if (!redis_url.empty()) {
      racetiming::cache::RedisCacheOptions cache{.url = redis_url};
      cache.report_failure = [](const std::string& cause) {
        spdlog::warn("response cache: Redis cannot answer ({}); answering without it for a second", cause);
      };
      api_options.response_cache = racetiming::cache::make_redis_cache(std::move(cache));
    } else if (response_cache_mb > 0) {
      api_options.response_cache = racetiming::cache::make_memory_cache(response_cache_mb << 20);
    }
    racetimingd::app::Api api(engine, std::move(api_options));
    options.body_limit_for = [&api, body_limit](std::string_view method, std::string_view target) {
      return api.body_limit(method, target, body_limit);
    };
    racetimingd::http::Server server(options, [&api](auto request, auto respond) {
      api.handle(std::move(request), std::move(respond));
    });
    server.start();
    std::cerr << "racetimingd: serving " << (tls_cert.empty() ? "" : "https on ") << options.address << ":" << server.port() << "\n";
    server.run(/*handle_signals=*/true);
    api.join();
    std::cerr << "racetimingd: stopped\n";
  } catch (const std::exception& e) {
    std::cerr << "racetimingd: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
