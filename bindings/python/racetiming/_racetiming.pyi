"""Type stubs of the compiled module; racetiming re-exports Engine, format_duration and permissions."""

from typing import Any, Callable, Dict, List, Optional, Union

Row = Dict[str, Any]
Page = Dict[str, Any]  # {"data": List[Row], "next_cursor": Optional[str]}
Time = Union[int, str]  # milliseconds, or "H:MM:SS"

def permissions() -> List[str]:
    """Every permission a user, key or token may carry."""

def format_duration(ms: int) -> str:
    """Milliseconds as H:MM:SS."""

class Engine:
    """One database (SQLite file or PostgreSQL) and everything done to it. Safe to share between threads:
    calls release the GIL while the database works."""

    def __init__(self, url: str, pool_size: int = 4, migrate: bool = True, answer_cache: int = 4096,
                 data_dir: str = "", report_cache: int = 256, credentials_key: str = "", read_url: str = "") -> None:
        """Opens "sqlite:PATH" or "postgresql://user:pass@host:port/db"; migrate brings the schema up to date.
        data_dir: reference tables (age-grade*.csv, boston-qualifying*.csv) replacing the built-in ones;
        report_cache: analytics and reports kept per data version (0: none);
        read_url: a PostgreSQL streaming replica that reads go to (a partner's own writes read back at once).
        Raises InvalidParameter for an unknown scheme, Unavailable when the database cannot be opened."""
    @property
    def dialect(self) -> str:
        """"sqlite" or "postgresql"."""
    def migrate(self) -> int:
        """Creates or upgrades the schema; returns the migrations applied."""
    def schema_version(self) -> int: ...
    def ping(self) -> bool: ...
    # administration
    def add_partner(self, name: str, slug: str, domain: str = "") -> int: ...
    def partners(self) -> List[Row]:
        """Every partner with how much data it holds."""
    def add_user(self, partner: int, name: str, email: str = "", permissions: List[str] = []) -> int: ...
    def create_key(self, partner: int, user: Optional[int] = None, scopes: List[str] = []) -> Row:
        """{"key_id", "api_key"}: the key's secret is shown this once."""
    def revoke_key(self, key_id: int) -> None: ...
    def authenticate(self, api_key: str) -> Row:
        """{"partner_id", "user_id", "key_id", "permissions"}; raises Unauthenticated."""
    def seed(self, scale: str = "demo", seed: int = 42) -> Row:
        """Loads the 13 deterministic demo partners ("demo": ~20k entries; "prod": ~1.7M)."""
    # imports
    def import_csv(self, partner: int, path: str, on_error: str = "abort", ignore_unknown_columns: bool = False) -> Row:
        """Imports an interchange CSV file. on_error="abort": a bad row raises InvalidInput and imports nothing;
        "skip": bad rows are left out and listed in the report's "errors"."""
    def import_text(self, partner: int, csv: str, on_error: str = "abort", ignore_unknown_columns: bool = False,
                    source: str = "python") -> Row: ...
    # questions
    def ask(self, partner: int, question: str, format: str = "json", context: Optional[Row] = None,
            today: Optional[str] = None) -> Union[Row, str]:
        """Answers a question in plain English. format "json": a dict (query, sql, params, columns, rows,
        summary, interpretation, context, execution_time_ms, cached); "csv" or "summary": text. Pass an
        answer's "context" back to ask a follow-up ("and for women?"). Raises Refused (with suggestions)
        for a question the engine does not fully understand."""
    # reads: {"data": [row, ...], "next_cursor": str or None}
    def events(self, partner: int, *, status: Optional[str] = None, year: Optional[int] = None,
               name: Optional[str] = None, limit: int = 50, cursor: Optional[str] = None,
               sort: Optional[str] = None) -> Page: ...
    def races(self, partner: int, *, event_id: Optional[int] = None, limit: int = 50, cursor: Optional[str] = None,
              sort: Optional[str] = None) -> Page: ...
    def participants(self, partner: int, *, event_id: Optional[int] = None, race_id: Optional[int] = None,
                     bib: Optional[str] = None, name: Optional[str] = None, gender: Optional[str] = None,
                     division: Optional[str] = None, status: Optional[str] = None, limit: int = 50,
                     cursor: Optional[str] = None, sort: Optional[str] = None) -> Page: ...
    def results(self, partner: int, *, event_id: Optional[int] = None, race_id: Optional[int] = None,
                gender: Optional[str] = None, division: Optional[str] = None, status: Optional[str] = None,
                min_time: Optional[Time] = None, max_time: Optional[Time] = None, limit: int = 50,
                cursor: Optional[str] = None, sort: Optional[str] = None) -> Page: ...
    def get(self, partner: int, resource: str, id: int) -> Row:
        """One event, race, participant or result; raises NotFound when it is not the partner's."""
    # writes
    def create(self, partner: int, resource: str, fields: Row, idempotency_key: Optional[str] = None) -> Row: ...
    def update(self, partner: int, resource: str, id: int, fields: Row, replace: bool = False) -> Row: ...
    def delete(self, partner: int, resource: str, id: int, cascade: bool = False) -> None: ...
    # the partner's own names for its events, read by ask()
    def event_aliases(self, partner: int) -> List[Row]: ...
    def add_event_alias(self, partner: int, alias: str, event_name: str) -> Row: ...
    def remove_event_alias(self, partner: int, event_alias_id: int) -> None: ...
    # analytics and reports: {"kind", "races", then each table by name}, each a list of rows
    def performance(self, partner: int, race_id: Optional[int] = None, event_id: Optional[int] = None) -> Dict[str, Any]: ...
    def demographics(self, partner: int, race_id: Optional[int] = None, event_id: Optional[int] = None,
                     year: Optional[int] = None) -> Dict[str, Any]: ...
    def trends(self, partner: int, event_name: str = "", year_from: Optional[int] = None, year_to: Optional[int] = None,
               distance_m: Optional[int] = None) -> Dict[str, Any]: ...
    def finishers(self, partner: int, race_id: int) -> Dict[str, Any]: ...
    def awards(self, partner: int, race_id: int, overall: int = 3, masters: int = 0, division: int = 3,
               double_awards: bool = False, division_bands: str = "") -> Dict[str, Any]: ...
    def boston_qualifiers(self, partner: int, race_id: int) -> Dict[str, Any]: ...
    # provider documents and integrations (docs/integrations.md); credentials go in and never come out
    def import_results(self, partner: int, provider: str, document: str, *, event_name: str, event_date: str,
                       race_name: str, distance_m: Optional[int] = None, event_city: str = "", event_state: str = "",
                       event_country: str = "", event_external_id: str = "", race_external_id: str = "",
                       on_error: str = "abort", source: str = "python") -> Row:
        """Imports a provider's results document (runsignup, chronotrack or raceroster JSON) as one race's entries."""
    def integrations(self, partner: int) -> List[Row]: ...
    def integration(self, partner: int, provider: str) -> Row: ...
    def put_integration(self, partner: int, provider: str, base_url: str, credentials: Dict[str, str] = ...,
                        event_ids: List[str] = ..., enabled: bool = True) -> Row:
        """Creates or replaces the link to a provider; credentials are sealed with credentials_key (an empty dict
        keeps those stored). Raises Unavailable when no credentials_key was given."""
    def remove_integration(self, partner: int, provider: str) -> None: ...
    def sync(self, partner: int, provider: str, *, full: bool = False, request_budget: int = 10000, max_attempts: int = 5,
             initial_backoff_ms: int = 250, max_backoff_ms: int = 30000, connect_timeout_ms: int = 5000,
             read_timeout_ms: int = 30000, page_size: int = 1000, ca_file: str = "",
             progress: Optional[Callable[[Row], None]] = None) -> Row:
        """Syncs from a provider and returns the run (status, mode, races_done/races_total, read, created, updated,
        removed, skipped, failed, error). A provider failure does not raise: the run's status says 'failed'."""
    def sync_runs(self, partner: int, limit: int = 50, provider: str = "") -> List[Row]: ...
    def sync_run(self, partner: int, sync_run_id: int) -> Row: ...
    def audit_entries(self, partner: int, limit: int = 100, before_id: Optional[int] = None) -> List[Row]: ...
    def verify_audit(self, partner: Optional[int] = None) -> Row: ...
