#include "racetiming/seed/demo_seed.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <initializer_list>
#include <numbers>
#include <span>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "racetiming/admin/partners.hpp"
#include "racetiming/error.hpp"
#include "racetiming/ingest/importer.hpp"
#include "racetiming/store/tenant_session.hpp"

namespace racetiming::seed {
namespace {

using ingest::Entry;

// ---------------------------------------------------------------------------------------------------
// Randomness. The standard distributions are implementation-defined, so the same seed would give other
// data with another standard library; everything here is spelled out instead.

constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

// The splitmix64 finaliser: a bijective 64-bit mix, so nearby inputs give unrelated outputs.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// A seed for one part of the data (a partner, an event of a year, ...), derived from the user's seed and
// the part's path, so that each part is generated independently of how much the others drew.
std::uint64_t sub_seed(std::uint64_t seed, std::initializer_list<std::uint64_t> path) {
  std::uint64_t h = mix64(seed + kGolden);
  for (std::uint64_t part : path) h = mix64(h ^ mix64(part + kGolden));
  return h;
}

// xoshiro256**, seeded through splitmix64 as its authors recommend.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : state_) {
      seed += kGolden;
      word = mix64(seed);
    }
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1), from the top 53 bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  // Uniform in [0, n) for n > 0; the modulo bias (n / 2^64) is far below anything the data shows.
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  bool chance(double probability) { return uniform() < probability; }

  // Standard normal by Box-Muller; the second value of each pair is kept for the next call.
  double gauss() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = 1.0 - uniform();  // (0, 1]: log stays finite
    const double u2 = uniform();
    const double radius = std::sqrt(-2.0 * std::log(u1));
    const double angle = 2.0 * std::numbers::pi * u2;
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }

  template <class T>
  const T& pick(std::span<const T> items) {
    return items[below(items.size())];
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::array<std::uint64_t, 4> state_{};
  double spare_ = 0.0;
  bool has_spare_ = false;
};

// Picks an index by weight; weights need not sum to 1.
template <std::size_t N>
std::size_t pick_weighted(Rng& rng, const std::array<double, N>& weights) {
  double total = 0.0;
  for (double w : weights) total += w;
  double x = rng.uniform() * total;
  for (std::size_t i = 0; i + 1 < N; ++i) {
    if (x < weights[i]) return i;
    x -= weights[i];
  }
  return N - 1;
}

// ---------------------------------------------------------------------------------------------------
// Races: distances, split points and the finish-time model.

constexpr std::int32_t k5K = 5000;
constexpr std::int32_t k10K = 10000;
constexpr std::int32_t k15K = 15000;
constexpr std::int32_t k10Mile = 16093;
constexpr std::int32_t kHalf = 21098;
constexpr std::int32_t kMarathon = 42195;
constexpr std::int32_t k50K = 50000;

struct SplitPoint {
  std::string_view name;
  std::int32_t distance_m;
};

// Where the timing mats are, by race distance; every point lies inside the race.
std::span<const SplitPoint> split_points(std::int32_t distance_m) {
  static constexpr SplitPoint kMarathonSplits[] = {{"5K", 5000},   {"10K", 10000}, {"15K", 15000},
                                                   {"20K", 20000}, {"HALF", kHalf}, {"25K", 25000},
                                                   {"30K", 30000}, {"35K", 35000}, {"40K", 40000}};
  static constexpr SplitPoint kHalfSplits[] = {{"5K", 5000}, {"10K", 10000}, {"15K", 15000}, {"20K", 20000}};
  static constexpr SplitPoint k10MileSplits[] = {{"5K", 5000}, {"10K", 10000}, {"15K", 15000}};
  static constexpr SplitPoint k15KSplits[] = {{"5K", 5000}, {"10K", 10000}};
  static constexpr SplitPoint k10KSplits[] = {{"5K", 5000}};
  static constexpr SplitPoint k5KSplits[] = {{"1M", 1609}};
  static constexpr SplitPoint k50KSplits[] = {{"10K", 10000}, {"20K", 20000}, {"30K", 30000}, {"40K", 40000}};
  switch (distance_m) {
    case kMarathon: return kMarathonSplits;
    case kHalf: return kHalfSplits;
    case k10Mile: return k10MileSplits;
    case k15K: return k15KSplits;
    case k10K: return k10KSplits;
    case k5K: return k5KSplits;
    case k50K: return k50KSplits;
    default: return {};
  }
}

// Median chip time in seconds of a 35-year-old man (gen_fixture.py's table; the 50K is a trail race,
// whose typical finish is about six hours).
double base_seconds(std::int32_t distance_m) {
  switch (distance_m) {
    case k5K: return 27 * 60;
    case k10K: return 56 * 60;
    case k10Mile: return 95 * 60;
    case kHalf: return 2 * 3600 + 5 * 60;
    case kMarathon: return 4 * 3600 + 20 * 60;
    case k50K: return 6 * 3600;
    default: return 56 * 60 * std::pow(distance_m / 10000.0, 1.06);  // Riegel's formula from the 10K
  }
}

// Trail ultras spread their fields wider than road races.
double time_spread(std::int32_t distance_m) { return distance_m == k50K ? 0.21 : 0.17; }

// How much slower than a 35-year-old man: women and non-binary runners by the fixture's factors, then
// about 0.9% a year past 35 and 1% a year under 22.
double runner_factor(char gender, int age) {
  const double by_gender = gender == 'F' ? 1.12 : gender == 'X' ? 1.06 : 1.0;
  return by_gender * (1.0 + std::max(0, age - 35) * 0.009 + std::max(0, 22 - age) * 0.01);
}

// ---------------------------------------------------------------------------------------------------
// The partners and their recurring events.

struct RaceSpec {
  std::string_view name;
  std::int32_t distance_m;
  double share;  // of the event's entries
};

RaceSpec marathon(double share) { return {"Marathon", kMarathon, share}; }
RaceSpec half_marathon(double share) { return {"Half Marathon", kHalf, share}; }
RaceSpec ten_mile(double share) { return {"10 Mile", k10Mile, share}; }
RaceSpec fifteen_k(double share) { return {"15K", k15K, share}; }
RaceSpec ten_k(double share) { return {"10K", k10K, share}; }
RaceSpec five_k(double share) { return {"5K", k5K, share}; }
RaceSpec fifty_k(double share) { return {"50K", k50K, share}; }

// When an event recurs: the nth given weekday of a month (nth = kLast for the last one), or a fixed day
// (Independence Day races).
struct Schedule {
  unsigned month = 1;
  unsigned weekday = 0;  // 0 Sunday ... 6 Saturday
  int nth = 1;
  unsigned fixed_day = 0;
};

constexpr int kLast = -1;
Schedule sunday(int nth, unsigned month) { return {month, 0, nth, 0}; }
Schedule monday(int nth, unsigned month) { return {month, 1, nth, 0}; }
Schedule saturday(int nth, unsigned month) { return {month, 6, nth, 0}; }
Schedule thanksgiving() { return {11, 4, 4, 0}; }
Schedule fixed_day(unsigned month, unsigned day) { return {month, 0, 0, day}; }

struct EventSpec {
  std::string_view name, city, state;
  Schedule schedule;
  double popularity;  // relative size among the partner's events
  int first_year;     // the first edition; held every year since, pandemic aside
  std::vector<RaceSpec> races;
  double field_speed = 1.0;  // below 1 for a field of qualifiers, faster than the public the model describes
};

struct PartnerTemplate {
  std::string_view name, slug;
  double prod_entries;  // entries over all years at prod scale
  std::vector<EventSpec> events;
};

// Sizes: three big companies, three mid-sized and seven small, 1.7M entries in all. Race shares lean on
// marathons and halves enough that splits bring the results to ~8M rows.
const std::vector<PartnerTemplate>& partner_templates() {
  static const std::vector<PartnerTemplate> kPartners = {
      {"Big River Race Management", "big-river", 450'000,
       {
           // Names and dates as in shared/fixtures/big-river.json, so the documented questions work here too.
           {"Boston Marathon", "Boston", "MA", monday(3, 4), 12.0, 2019, {marathon(1.0)}, 0.82},
           {"Big River Marathon", "Poughkeepsie", "NY", sunday(2, 10), 10.0, 2019, {marathon(0.55), half_marathon(0.33), five_k(0.12)}},
           {"Capital District Half Marathon", "Schenectady", "NY", sunday(3, 4), 4.0, 2019, {half_marathon(0.82), five_k(0.18)}},
           {"Turkey Trot 5K", "Kingston", "NY", thanksgiving(), 3.0, 2019, {five_k(1.0)}},
           {"Riverfront 10K", "Beacon", "NY", saturday(2, 6), 1.5, 2019, {ten_k(0.7), five_k(0.3)}},
           {"Lake George 10 Mile", "Lake George", "NY", sunday(3, 5), 2.0, 2019, {ten_mile(0.8), five_k(0.2)}},
           {"Helderberg Trail 50K", "Altamont", "NY", saturday(2, 9), 0.8, 2019, {fifty_k(0.55), ten_k(0.45)}},
           {"Empire Plaza Shamrock 5K", "Albany", "NY", saturday(2, 3), 1.5, 2019, {five_k(1.0)}},
           {"Burlington Waterfront Half Marathon", "Burlington", "VT", sunday(4, 8), 2.0, 2021, {half_marathon(0.85), ten_k(0.15)}},
       }},
      {"Mid-Hudson Road Runners", "mid-hudson", 60'000,
       {
           {"Hudson Valley Half", "Newburgh", "NY", sunday(1, 5), 4.0, 2019, {half_marathon(0.7), five_k(0.3)}},
           {"Wallkill Valley Marathon", "Gardiner", "NY", saturday(4, 10), 4.8, 2019, {marathon(0.5), half_marathon(0.36), ten_k(0.14)}},
           {"Rail Trail 15K", "Rosendale", "NY", saturday(3, 8), 1.5, 2019, {fifteen_k(1.0)}},
           {"Kingston Stockade 10K", "Kingston", "NY", saturday(2, 6), 1.5, 2019, {ten_k(0.6), five_k(0.4)}},
           {"Beacon Firecracker 5K", "Beacon", "NY", fixed_day(7, 4), 1.2, 2019, {five_k(1.0)}},
           {"Shawangunk Ridge 50K", "New Paltz", "NY", saturday(1, 9), 0.7, 2019, {fifty_k(0.5), half_marathon(0.5)}},
           {"Hyde Park 10 Mile", "Hyde Park", "NY", sunday(2, 4), 1.5, 2019, {ten_mile(0.75), five_k(0.25)}},
           {"New Paltz Turkey Trot", "New Paltz", "NY", thanksgiving(), 2.5, 2019, {five_k(1.0)}},
       }},
      {"RacePlace Events", "raceplace", 280'000,
       {
           {"Jersey Shore Marathon", "Asbury Park", "NJ", sunday(4, 4), 11.2, 2019, {marathon(0.55), half_marathon(0.33), five_k(0.12)}},
           {"Hoboken Waterfront Half Marathon", "Hoboken", "NJ", sunday(2, 5), 8.0, 2019, {half_marathon(0.8), five_k(0.2)}},
           {"Essex County Turkey Trot", "Montclair", "NJ", thanksgiving(), 4.0, 2019, {five_k(1.0)}},
           {"Princeton Battlefield 10K", "Princeton", "NJ", sunday(2, 6), 2.0, 2019, {ten_k(0.7), five_k(0.3)}},
           {"Delaware Water Gap 50K", "Delaware Water Gap", "PA", saturday(4, 9), 1.0, 2019, {fifty_k(0.6), half_marathon(0.4)}},
           {"Cape May Boardwalk 10 Mile", "Cape May", "NJ", sunday(1, 10), 2.5, 2019, {ten_mile(0.7), five_k(0.3)}},
           {"Long Branch St. Patrick's 5K", "Long Branch", "NJ", sunday(2, 3), 1.5, 2019, {five_k(1.0)}},
           {"Morristown Freedom Run", "Morristown", "NJ", fixed_day(7, 4), 2.0, 2019, {ten_k(0.5), five_k(0.5)}},
       }},
      {"Seacoast Chip Timing", "seacoast-timing", 45'000,
       {
           {"Portsmouth Harbor Half Marathon", "Portsmouth", "NH", sunday(4, 10), 4.8, 2019, {half_marathon(0.75), five_k(0.25)}},
           {"Casco Bay Marathon", "Portland", "ME", sunday(1, 10), 4.8, 2019, {marathon(0.55), half_marathon(0.33), five_k(0.12)}},
           {"Hampton Beach 10K", "Hampton", "NH", saturday(2, 9), 1.5, 2019, {ten_k(0.6), five_k(0.4)}},
           {"Kennebunkport 10 Mile", "Kennebunkport", "ME", sunday(1, 6), 1.0, 2019, {ten_mile(0.8), five_k(0.2)}},
           {"Exeter Turkey Trot", "Exeter", "NH", thanksgiving(), 1.5, 2019, {five_k(1.0)}},
           {"White Mountains 50K", "North Conway", "NH", saturday(3, 8), 0.5, 2020, {fifty_k(0.7), ten_k(0.3)}},
       }},
      {"Keystone Race Timing", "keystone-timing", 200'000,
       {
           {"Lehigh Valley Marathon", "Allentown", "PA", sunday(2, 9), 9.6, 2019, {marathon(0.55), half_marathon(0.33), five_k(0.12)}},
           {"Schuylkill River Half Marathon", "Philadelphia", "PA", sunday(3, 11), 9.6, 2019, {half_marathon(0.85), five_k(0.15)}},
           {"Lancaster County 10K", "Lancaster", "PA", saturday(3, 5), 2.0, 2019, {ten_k(0.7), five_k(0.3)}},
           {"Harrisburg Capitol 10 Mile", "Harrisburg", "PA", sunday(2, 4), 2.5, 2019, {ten_mile(0.75), five_k(0.25)}},
           {"Pocono Ridge 50K", "Jim Thorpe", "PA", saturday(2, 10), 1.0, 2019, {fifty_k(0.6), half_marathon(0.4)}},
           {"Main Line Turkey Trot", "Ardmore", "PA", thanksgiving(), 4.0, 2019, {five_k(1.0)}},
           {"Lackawanna Valley Half Marathon", "Scranton", "PA", sunday(4, 3), 3.2, 2019, {half_marathon(0.8), five_k(0.2)}},
           {"Valley Forge Independence 5K", "King of Prussia", "PA", fixed_day(7, 4), 2.0, 2020, {five_k(0.7), ten_k(0.3)}},
       }},
      {"Green Mountain Race Services", "green-mountain", 30'000,
       {
           {"Mad River Valley Half Marathon", "Waitsfield", "VT", sunday(2, 7), 3.2, 2019, {half_marathon(0.8), five_k(0.2)}},
           {"Stowe Foliage 10 Mile", "Stowe", "VT", saturday(1, 10), 1.5, 2019, {ten_mile(0.7), five_k(0.3)}},
           {"Capital City Marathon", "Montpelier", "VT", sunday(3, 9), 2.4, 2019, {marathon(0.55), half_marathon(0.45)}},
           {"Killington Mountain 50K", "Killington", "VT", saturday(1, 8), 0.6, 2019, {fifty_k(0.6), ten_k(0.4)}},
           {"Brattleboro Turkey Trot", "Brattleboro", "VT", thanksgiving(), 1.0, 2019, {five_k(1.0)}},
           {"Rutland Maple 10K", "Rutland", "VT", saturday(4, 4), 0.8, 2019, {ten_k(0.6), five_k(0.4)}},
       }},
      {"Garden State Timing Co.", "garden-state", 160'000,
       {
           {"Atlantic City Boardwalk Marathon", "Atlantic City", "NJ", sunday(3, 10), 8.0, 2019, {marathon(0.55), half_marathon(0.33), five_k(0.12)}},
           {"Wilmington Riverwalk Half Marathon", "Wilmington", "DE", sunday(2, 5), 6.4, 2019, {half_marathon(0.8), five_k(0.2)}},
           {"Cherry Hill Turkey Trot", "Cherry Hill", "NJ", thanksgiving(), 4.0, 2019, {five_k(1.0)}},
           {"Pine Barrens 50K", "Hammonton", "NJ", saturday(4, 4), 1.0, 2019, {fifty_k(0.6), half_marathon(0.4)}},
           {"Ocean City 10 Mile", "Ocean City", "NJ", saturday(2, 9), 2.0, 2019, {ten_mile(0.7), five_k(0.3)}},
           {"Rehoboth Beach Holiday 10K", "Rehoboth Beach", "DE", saturday(2, 12), 2.0, 2019, {ten_k(0.6), five_k(0.4)}},
           {"Trenton Freedom 5K", "Trenton", "NJ", fixed_day(7, 4), 1.5, 2019, {five_k(1.0)}},
       }},
      {"Nutmeg Endurance Timing", "nutmeg-timing", 55'000,
       {
           {"Connecticut River Valley Marathon", "Middletown", "CT", saturday(2, 10), 4.0, 2019, {marathon(0.55), half_marathon(0.33), five_k(0.12)}},
           {"New Haven Green Half Marathon", "New Haven", "CT", sunday(3, 4), 3.2, 2019, {half_marathon(0.8), five_k(0.2)}},
           {"Mystic Seaport 10K", "Mystic", "CT", sunday(3, 6), 1.5, 2019, {ten_k(0.6), five_k(0.4)}},
           {"Newport Cliff Walk 10 Mile", "Newport", "RI", sunday(4, 9), 1.5, 2019, {ten_mile(0.7), five_k(0.3)}},
           {"Stamford Harbor Turkey Trot", "Stamford", "CT", thanksgiving(), 2.0, 2019, {five_k(1.0)}},
           {"Greenwich Memorial Day 10K", "Greenwich", "CT", monday(kLast, 5), 1.2, 2019, {ten_k(0.6), five_k(0.4)}},
           {"Litchfield Hills 50K", "Litchfield", "CT", saturday(2, 5), 0.5, 2021, {fifty_k(0.6), ten_k(0.4)}},
       }},
      {"Finger Lakes Race Systems", "finger-lakes", 40'000,
       {
           {"Seneca Lake Marathon", "Watkins Glen", "NY", sunday(4, 9), 3.2, 2019, {marathon(0.55), half_marathon(0.33), five_k(0.12)}},
           {"Ithaca Gorges Half Marathon", "Ithaca", "NY", sunday(1, 5), 2.4, 2019, {half_marathon(0.75), ten_k(0.25)}},
           {"Canandaigua Lake 10 Mile", "Canandaigua", "NY", saturday(3, 7), 1.0, 2019, {ten_mile(0.7), five_k(0.3)}},
           {"Rochester Lilac Festival 10K", "Rochester", "NY", saturday(2, 5), 2.0, 2019, {ten_k(0.65), five_k(0.35)}},
           {"Syracuse Turkey Trot", "Syracuse", "NY", thanksgiving(), 1.5, 2019, {five_k(1.0)}},
           {"Letchworth Gorge 50K", "Castile", "NY", saturday(2, 10), 0.6, 2019, {fifty_k(0.6), half_marathon(0.4)}},
       }},
      {"Bay Colony Timing", "bay-colony", 180'000,
       {
           {"Cape Cod Canal Marathon", "Bourne", "MA", sunday(4, 10), 6.4, 2019, {marathon(0.55), half_marathon(0.33), five_k(0.12)}},
           {"Charles River Half Marathon", "Cambridge", "MA", sunday(3, 5), 7.2, 2019, {half_marathon(0.85), five_k(0.15)}},
           {"Worcester Hills 10K", "Worcester", "MA", sunday(1, 6), 2.0, 2019, {ten_k(0.7), five_k(0.3)}},
           {"North Shore 10 Mile", "Salem", "MA", sunday(2, 9), 2.0, 2019, {ten_mile(0.75), five_k(0.25)}},
           {"Plymouth Rock Turkey Trot", "Plymouth", "MA", thanksgiving(), 3.5, 2019, {five_k(1.0)}},
           {"Berkshire Highlands 50K", "Pittsfield", "MA", saturday(3, 8), 0.6, 2019, {fifty_k(0.6), ten_k(0.4)}},
           {"Mill City St. Patrick's 5K", "Lowell", "MA", sunday(3, 3), 1.5, 2019, {five_k(1.0)}},
           {"Quabbin Reservoir Half Marathon", "Belchertown", "MA", sunday(2, 7), 2.4, 2022, {half_marathon(0.8), five_k(0.2)}},
       }},
      {"Chesapeake Finish Line", "chesapeake", 70'000,
       {
           {"Annapolis Harbor Marathon", "Annapolis", "MD", saturday(2, 11), 4.8, 2019, {marathon(0.55), half_marathon(0.33), five_k(0.12)}},
           {"Inner Harbor Half Marathon", "Baltimore", "MD", saturday(2, 4), 4.8, 2019, {half_marathon(0.8), five_k(0.2)}},
           {"Old Town Alexandria 10K", "Alexandria", "VA", sunday(1, 6), 2.0, 2019, {ten_k(0.6), five_k(0.4)}},
           {"Catoctin Mountain 50K", "Frederick", "MD", saturday(3, 9), 0.8, 2019, {fifty_k(0.65), half_marathon(0.35)}},
           {"Bethesda Turkey Trot", "Bethesda", "MD", thanksgiving(), 2.5, 2019, {five_k(1.0)}},
           {"Rock Creek 10 Mile", "Washington", "DC", sunday(4, 3), 2.0, 2019, {ten_mile(0.8), five_k(0.2)}},
       }},
      {"Lone Star Race Timing", "lone-star", 100'000,
       {
           {"Hill Country Marathon", "San Marcos", "TX", sunday(2, 2), 5.6, 2019, {marathon(0.55), half_marathon(0.33), five_k(0.12)}},
           {"Galveston Seawall Half Marathon", "Galveston", "TX", sunday(3, 1), 4.8, 2019, {half_marathon(0.8), five_k(0.2)}},
           {"Fort Worth Stockyards 10K", "Fort Worth", "TX", saturday(3, 10), 2.0, 2019, {ten_k(0.6), five_k(0.4)}},
           {"Big Bend Desert 50K", "Terlingua", "TX", saturday(2, 12), 0.8, 2019, {fifty_k(0.6), half_marathon(0.4)}},
           {"Buffalo Bayou Turkey Trot", "Houston", "TX", thanksgiving(), 3.0, 2019, {five_k(1.0)}},
           {"San Antonio Missions 10 Mile", "San Antonio", "TX", sunday(1, 3), 1.5, 2019, {ten_mile(0.75), five_k(0.25)}},
       }},
      {"Front Range Chip Timing", "front-range", 30'000,
       {
           {"Boulder Creek Half Marathon", "Boulder", "CO", sunday(1, 6), 3.2, 2019, {half_marathon(0.8), five_k(0.2)}},
           {"Pikes Peak Foothills 10 Mile", "Colorado Springs", "CO", sunday(3, 6), 1.2, 2019, {ten_mile(0.7), five_k(0.3)}},
           {"Poudre River Marathon", "Fort Collins", "CO", sunday(1, 9), 2.4, 2019, {marathon(0.55), half_marathon(0.33), five_k(0.12)}},
           {"Golden Gate Canyon 50K", "Golden", "CO", saturday(3, 7), 0.5, 2019, {fifty_k(0.6), ten_k(0.4)}},
           {"Wash Park Turkey Trot", "Denver", "CO", thanksgiving(), 1.8, 2019, {five_k(1.0)}},
           {"Cherry Creek 10K", "Denver", "CO", saturday(2, 8), 1.0, 2019, {ten_k(0.6), five_k(0.4)}},
       }},
  };
  return kPartners;
}

const PartnerTemplate& partner_template(std::size_t partner_index) {
  const auto& partners = partner_templates();
  if (partner_index >= partners.size())
    throw Error(ErrorCode::invalid_parameter,
                fmt::format("partner index {} is out of range (0-{})", partner_index, partners.size() - 1),
                "partner_index");
  return partners[partner_index];
}

// ---------------------------------------------------------------------------------------------------
// People: names, homes, clubs.

constexpr std::string_view kFemaleFirst[] = {
    "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen",
    "Lisa", "Nancy", "Betty", "Sandra", "Ashley", "Emily", "Donna", "Michelle", "Carol", "Amanda",
    "Melissa", "Deborah", "Stephanie", "Rebecca", "Laura", "Sharon", "Cynthia", "Kathleen", "Amy", "Angela",
    "Maria", "Anna", "Grace", "Olivia", "Sophia", "Chloe", "Megan", "Rachel", "Hannah", "Julia",
    "Emma", "Ava", "Isabella", "Mia", "Abigail", "Madison", "Lauren", "Samantha", "Katherine", "Christine",
    "Heather", "Nicole", "Kelly", "Erin", "Caitlin", "Allison", "Brianna", "Natalie", "Victoria", "Danielle",
    "Andrea", "Courtney", "Kristen", "Monica", "Vanessa", "Gabriela", "Lucía", "Sofia", "Ximena", "Mei",
    "Priya", "Aisha", "Fatima", "Yuki", "Ngozi", "Siobhan", "Ingrid", "Colleen", "Theresa", "Denise",
    "Jacqueline", "Molly", "Kayla", "Leah", "Jasmine", "Zoe", "Claire", "Maeve", "Renée", "Keisha",
};
constexpr std::string_view kMaleFirst[] = {
    "James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas", "Charles",
    "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Paul", "Andrew", "Joshua",
    "Kenneth", "Kevin", "Brian", "George", "Timothy", "Ronald", "Edward", "Jason", "Jeffrey", "Ryan",
    "Jacob", "Gary", "Nicholas", "Eric", "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon",
    "Benjamin", "Samuel", "Gregory", "Patrick", "Frank", "Raymond", "Alexander", "Jack", "Dennis", "Tyler",
    "Aaron", "Henry", "Adam", "Douglas", "Nathan", "Peter", "Zachary", "Kyle", "Walter", "Ethan",
    "Jeremy", "Sean", "Christian", "Carlos", "Luis", "Miguel", "José", "Diego", "Wei", "Hiroshi",
    "Raj", "Arjun", "Omar", "Kwame", "Liam", "Noah", "Owen", "Connor", "Declan", "Marco",
    "Dmitri", "Tomás", "Malik", "Darnell", "Trevor", "Colin", "Brendan", "Luke", "Caleb", "Evan",
};
constexpr std::string_view kNonBinaryFirst[] = {
    "Alex",   "Jordan", "Taylor", "Morgan",  "Casey",  "Riley",  "Jamie",  "Avery", "Quinn", "Rowan",
    "Sage",   "Skyler", "Reese",  "Emerson", "Finley", "Dakota", "Charlie", "Parker", "River", "Robin",
};
constexpr std::string_view kLastNames[] = {
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
    "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
    "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
    "Kowalski", "Byrne", "Schmidt", "Okafor", "Haddad", "Novak", "Silva", "Costa", "Murphy", "Kelly",
    "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
    "Stewart", "Morris", "Morales", "Rogers", "Reed", "Cook", "Morgan", "Bell", "Cooper", "Peterson",
    "Bailey", "Richardson", "Cox", "Howard", "Ward", "Watson", "Brooks", "Chavez", "Wood", "Bennett",
    "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers",
    "Long", "Ross", "Foster", "Jimenez", "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "O'Brien",
    "O'Connor", "McCarthy", "Fitzgerald", "Gallagher", "Kim", "Chen", "Wang", "Li", "Zhang", "Singh",
    "Shah", "Tanaka", "Yamamoto", "Park", "Choi", "Müller", "Wagner", "Becker", "Hoffmann", "Rossi",
    "Russo", "Esposito", "Romano", "Bianchi", "Ferrari", "Nowak", "Wójcik", "Ivanov", "Petrov", "Andersen",
    "Larsen", "Johansson", "Lindqvist", "Núñez", "Peña", "Ortiz", "Vargas", "Castro", "Adeyemi", "Mensah",
    "Hassan", "Cohen", "Levy", "Friedman", "Goldberg", "DeLuca", "Santos", "Pereira", "Dubois", "Lambert",
};

struct Home {
  std::string_view city, state, country;
};

constexpr Home kHomes[] = {
    {"Albany", "NY", "US"}, {"Schenectady", "NY", "US"}, {"Troy", "NY", "US"}, {"Saratoga Springs", "NY", "US"},
    {"Poughkeepsie", "NY", "US"}, {"Kingston", "NY", "US"}, {"Beacon", "NY", "US"}, {"New Paltz", "NY", "US"},
    {"Brooklyn", "NY", "US"}, {"Yonkers", "NY", "US"}, {"White Plains", "NY", "US"}, {"Rochester", "NY", "US"},
    {"Syracuse", "NY", "US"}, {"Ithaca", "NY", "US"}, {"Buffalo", "NY", "US"}, {"Glens Falls", "NY", "US"},
    {"Hoboken", "NJ", "US"}, {"Newark", "NJ", "US"}, {"Jersey City", "NJ", "US"}, {"Montclair", "NJ", "US"},
    {"Princeton", "NJ", "US"}, {"Morristown", "NJ", "US"}, {"Asbury Park", "NJ", "US"}, {"Red Bank", "NJ", "US"},
    {"Cherry Hill", "NJ", "US"}, {"Toms River", "NJ", "US"}, {"Trenton", "NJ", "US"}, {"Ocean City", "NJ", "US"},
    {"Stamford", "CT", "US"}, {"Hartford", "CT", "US"}, {"New Haven", "CT", "US"}, {"Middletown", "CT", "US"},
    {"Mystic", "CT", "US"}, {"Greenwich", "CT", "US"}, {"Norwalk", "CT", "US"}, {"Litchfield", "CT", "US"},
    {"Boston", "MA", "US"}, {"Cambridge", "MA", "US"}, {"Worcester", "MA", "US"}, {"Springfield", "MA", "US"},
    {"Salem", "MA", "US"}, {"Lowell", "MA", "US"}, {"Plymouth", "MA", "US"}, {"Pittsfield", "MA", "US"},
    {"Somerville", "MA", "US"}, {"Quincy", "MA", "US"}, {"Burlington", "VT", "US"}, {"Montpelier", "VT", "US"},
    {"Stowe", "VT", "US"}, {"Rutland", "VT", "US"}, {"Brattleboro", "VT", "US"}, {"Middlebury", "VT", "US"},
    {"Portsmouth", "NH", "US"}, {"Manchester", "NH", "US"}, {"Concord", "NH", "US"}, {"Nashua", "NH", "US"},
    {"Exeter", "NH", "US"}, {"Keene", "NH", "US"}, {"Hanover", "NH", "US"}, {"Portland", "ME", "US"},
    {"Kennebunk", "ME", "US"}, {"Bangor", "ME", "US"}, {"Brunswick", "ME", "US"}, {"Augusta", "ME", "US"},
    {"Providence", "RI", "US"}, {"Newport", "RI", "US"}, {"Warwick", "RI", "US"}, {"Westerly", "RI", "US"},
    {"Philadelphia", "PA", "US"}, {"Pittsburgh", "PA", "US"}, {"Allentown", "PA", "US"}, {"Bethlehem", "PA", "US"},
    {"Lancaster", "PA", "US"}, {"Harrisburg", "PA", "US"}, {"Scranton", "PA", "US"}, {"Ardmore", "PA", "US"},
    {"West Chester", "PA", "US"}, {"State College", "PA", "US"}, {"Stroudsburg", "PA", "US"},
    {"Wilmington", "DE", "US"}, {"Newark", "DE", "US"}, {"Dover", "DE", "US"}, {"Rehoboth Beach", "DE", "US"},
    {"Baltimore", "MD", "US"}, {"Annapolis", "MD", "US"}, {"Bethesda", "MD", "US"}, {"Frederick", "MD", "US"},
    {"Columbia", "MD", "US"}, {"Silver Spring", "MD", "US"}, {"Alexandria", "VA", "US"}, {"Arlington", "VA", "US"},
    {"Richmond", "VA", "US"}, {"Fairfax", "VA", "US"}, {"Charlottesville", "VA", "US"}, {"Washington", "DC", "US"},
    {"Austin", "TX", "US"}, {"San Marcos", "TX", "US"}, {"Houston", "TX", "US"}, {"Dallas", "TX", "US"},
    {"Fort Worth", "TX", "US"}, {"San Antonio", "TX", "US"}, {"Galveston", "TX", "US"}, {"El Paso", "TX", "US"},
    {"Plano", "TX", "US"}, {"Denver", "CO", "US"}, {"Boulder", "CO", "US"}, {"Fort Collins", "CO", "US"},
    {"Colorado Springs", "CO", "US"}, {"Golden", "CO", "US"}, {"Lakewood", "CO", "US"},
    {"San Francisco", "CA", "US"}, {"Los Angeles", "CA", "US"}, {"Chicago", "IL", "US"}, {"Miami", "FL", "US"},
    {"Orlando", "FL", "US"}, {"Columbus", "OH", "US"}, {"Cleveland", "OH", "US"}, {"Atlanta", "GA", "US"},
    {"Raleigh", "NC", "US"}, {"Charlotte", "NC", "US"}, {"Seattle", "WA", "US"}, {"Minneapolis", "MN", "US"},
    {"Montreal", "QC", "CA"}, {"Toronto", "ON", "CA"}, {"Ottawa", "ON", "CA"},
};

// Runners travel within their part of the country; the Northeast is one region, the others are their
// own states.
bool is_northeast(std::string_view state) {
  static constexpr std::string_view kNortheast[] = {"NY", "NJ", "CT", "MA", "VT", "NH", "ME",
                                                    "RI", "PA", "DE", "MD", "VA", "DC"};
  return std::find(std::begin(kNortheast), std::end(kNortheast), state) != std::end(kNortheast);
}

// Where the runners of one event come from: mostly its state, then its region, a few from anywhere.
struct HomePools {
  std::vector<Home> local, regional, national, abroad;
};

HomePools home_pools(std::string_view event_state) {
  HomePools pools;
  const bool northeast = is_northeast(event_state);
  for (const Home& home : kHomes) {
    if (home.country != "US") {
      pools.abroad.push_back(home);
      continue;
    }
    pools.national.push_back(home);
    if (home.state == event_state) pools.local.push_back(home);
    if (home.state == event_state || (northeast && is_northeast(home.state))) pools.regional.push_back(home);
  }
  return pools;
}

const Home& pick_home(Rng& rng, const HomePools& pools) {
  const double u = rng.uniform();
  if (u < 0.55 && !pools.local.empty()) return rng.pick<Home>(pools.local);
  if (u < 0.90) return rng.pick<Home>(pools.regional.empty() ? pools.national : pools.regional);
  if (u < 0.99) return rng.pick<Home>(pools.national);
  return rng.pick<Home>(pools.abroad);
}

// Running clubs by home state; runners from elsewhere run unattached.
const std::vector<std::string_view>& clubs_of(std::string_view state) {
  static const std::unordered_map<std::string_view, std::vector<std::string_view>> kClubs = {
      {"NY", {"Hudson Striders", "Dutchess Running Club", "Gotham Track", "Capital Region Harriers", "Saratoga Pacers", "Flower City Runners"}},
      {"NJ", {"Shore Striders", "Hoboken Harriers", "Princeton Pacers", "Pine Barrens Runners"}},
      {"PA", {"Schuylkill Striders", "Lehigh Valley Harriers", "Keystone Track Club"}},
      {"MA", {"Charles River Harriers", "Bay State Track Club", "Cape Cod Striders"}},
      {"CT", {"Nutmeg Striders", "Shoreline Runners"}},
      {"VT", {"Green Mountain Striders"}},
      {"NH", {"Granite Harriers", "Seacoast Striders"}},
      {"ME", {"Casco Bay Runners"}},
      {"RI", {"Ocean State Harriers"}},
      {"DE", {"Diamond State Runners"}},
      {"MD", {"Chesapeake Harriers", "Potomac Pacers"}},
      {"VA", {"Potomac Pacers"}},
      {"DC", {"Capitol Striders", "Potomac Pacers"}},
      {"TX", {"Hill Country Harriers", "Bayou City Striders", "Lone Star Track Club"}},
      {"CO", {"Front Range Flyers", "Mile High Harriers"}},
  };
  static const std::vector<std::string_view> kNone;
  const auto it = kClubs.find(state);
  return it == kClubs.end() ? kNone : it->second;
}

// ---------------------------------------------------------------------------------------------------
// The plan: which events were held when, and how many entries each race had. Cheap, so the loader can
// know the total before generating anything.

struct PlannedRace {
  const RaceSpec* spec = nullptr;
  std::size_t entries = 0;
  int first_bib = 1;
};

struct PlannedEvent {
  const EventSpec* spec = nullptr;
  std::string date;            // YYYY-MM-DD
  double course_factor = 1.0;  // hills and the day's weather: slower or faster than the model
  std::uint64_t entries_seed = 0;
  std::vector<PlannedRace> races;

  std::size_t entries() const {
    std::size_t n = 0;
    for (const auto& race : races) n += race.entries;
    return n;
  }
};

constexpr int kFirstYear = 2019;
constexpr int kLastYear = 2025;
// Demo races stay big enough to have a podium and an age group or two.
constexpr std::size_t kMinRaceEntries = 5;

// Streams of sub_seed, so that the plan and the entries of an event draw independently.
enum Stream : std::uint64_t { plan_stream = 1, entries_stream = 2, course_stream = 3 };

double scale_fraction(Scale scale) { return scale == Scale::prod ? 1.0 : 0.01; }

// Field sizes relative to 2024: races came back smaller in 2021 and have grown since.
double year_factor(int year) {
  static constexpr double kFactors[] = {0.95, 0.95, 0.65, 0.85, 0.95, 1.0, 1.05};  // 2019 ... 2025
  return kFactors[year - kFirstYear];
}

std::chrono::year_month_day event_day(int year, const Schedule& when) {
  namespace chr = std::chrono;
  const chr::year y{year};
  const chr::month m{when.month};
  if (when.fixed_day) return {y, m, chr::day{when.fixed_day}};
  const chr::weekday wd{when.weekday};
  if (when.nth == kLast) return chr::year_month_day{chr::sys_days{chr::year_month_weekday_last{y, m, chr::weekday_last{wd}}}};
  return chr::year_month_day{
      chr::sys_days{chr::year_month_weekday{y, m, chr::weekday_indexed{wd, static_cast<unsigned>(when.nth)}}}};
}

// Mass-participation races were cancelled from mid-March 2020 until about June 2021.
bool cancelled_by_pandemic(const std::chrono::year_month_day& day) {
  namespace chr = std::chrono;
  const chr::year_month_day first{chr::year{2020}, chr::month{3}, chr::day{8}};
  const chr::year_month_day last{chr::year{2021}, chr::month{5}, chr::day{31}};
  return day >= first && day <= last;
}

std::string iso_date(const std::chrono::year_month_day& day) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                     static_cast<unsigned>(day.day()));
}

// A normal draw with its rare extremes cut off, so no lognormal factor makes an absurd time or size.
double clamped_gauss(Rng& rng, double low = -3.5, double high = 4.0) { return std::clamp(rng.gauss(), low, high); }

// Bibs are unique within the event: each race starts at the next thousand past the previous race's
// numbers plus a gap, as race directors hand them out.
int next_first_bib(int first_bib, std::size_t entries) {
  const int after = first_bib + static_cast<int>(entries) + 100;
  return (after + 999) / 1000 * 1000 + 1;
}

struct HeldEdition {
  std::size_t event_index;
  int year;
  std::chrono::year_month_day day;
  double weight;  // share of the partner's entries, before normalising
};

std::vector<HeldEdition> held_editions(const PartnerTemplate& partner) {
  std::vector<HeldEdition> editions;
  for (std::size_t i = 0; i < partner.events.size(); ++i) {
    const EventSpec& event = partner.events[i];
    for (int year = std::max(kFirstYear, event.first_year); year <= kLastYear; ++year) {
      const auto day = event_day(year, event.schedule);
      if (cancelled_by_pandemic(day)) continue;
      editions.push_back({i, year, day, event.popularity * year_factor(year)});
    }
  }
  // chronological, as a partner's history is loaded
  std::stable_sort(editions.begin(), editions.end(),
                   [](const HeldEdition& a, const HeldEdition& b) { return a.day < b.day; });
  return editions;
}

std::vector<PlannedEvent> plan_partner(std::size_t partner_index, Scale scale, std::uint64_t seed) {
  const PartnerTemplate& partner = partner_template(partner_index);
  const std::vector<HeldEdition> editions = held_editions(partner);
  double total_weight = 0.0;
  for (const auto& edition : editions) total_weight += edition.weight;
  const double entries_per_weight = partner.prod_entries * scale_fraction(scale) / total_weight;

  std::vector<PlannedEvent> plan;
  plan.reserve(editions.size());
  for (const HeldEdition& edition : editions) {
    const EventSpec& spec = partner.events[edition.event_index];
    const auto year = static_cast<std::uint64_t>(edition.year);
    Rng rng(sub_seed(seed, {partner_index, edition.event_index, year, plan_stream}));
    // The course is the same every year; the weather is not.
    Rng course_rng(sub_seed(seed, {partner_index, edition.event_index, course_stream}));
    PlannedEvent event;
    event.spec = &spec;
    event.date = iso_date(edition.day);
    event.course_factor = std::exp(0.03 * clamped_gauss(course_rng) + 0.02 * clamped_gauss(rng));
    event.entries_seed = sub_seed(seed, {partner_index, edition.event_index, year, entries_stream});
    const double event_entries = entries_per_weight * edition.weight * std::exp(0.1 * clamped_gauss(rng));
    int first_bib = 1;
    for (const RaceSpec& race : spec.races) {
      const double wanted = event_entries * race.share * std::exp(0.08 * clamped_gauss(rng));
      const auto entries = std::max(kMinRaceEntries, static_cast<std::size_t>(std::llround(wanted)));
      event.races.push_back({&race, entries, first_bib});
      first_bib = next_first_bib(first_bib, entries);
    }
    plan.push_back(std::move(event));
  }
  return plan;
}

// ---------------------------------------------------------------------------------------------------
// Entries.

char pick_gender(Rng& rng) {
  static constexpr std::array<double, 3> kWeights = {48, 50, 2};
  static constexpr char kGenders[] = {'M', 'F', 'X'};
  return kGenders[pick_weighted(rng, kWeights)];
}

std::string_view pick_first_name(Rng& rng, char gender) {
  if (gender == 'M') return rng.pick<std::string_view>(kMaleFirst);
  if (gender == 'F') return rng.pick<std::string_view>(kFemaleFirst);
  return rng.pick<std::string_view>(kNonBinaryFirst);
}

// Ages ~ N(40, 13); marathons and ultras take adults only, halves teenagers up, 5Ks and 10Ks kids too.
int draw_age(Rng& rng, std::int32_t distance_m) {
  const int youngest = distance_m >= kMarathon ? 18 : distance_m >= kHalf ? 14 : 10;
  const int age = static_cast<int>(40.0 + 13.0 * rng.gauss());
  return std::clamp(age, youngest, 84);
}

const char* pick_status(Rng& rng) {
  static constexpr std::array<double, 4> kWeights = {93, 3, 3.7, 0.3};
  static constexpr const char* kStatuses[] = {"finished", "dnf", "dns", "dq"};
  return kStatuses[pick_weighted(rng, kWeights)];
}

// Chip timing reads tenths, but many results sheets print whole seconds.
std::int64_t to_result_ms(Rng& rng, double seconds) {
  if (rng.chance(0.3)) return std::llround(seconds * 10.0) * 100;
  return std::llround(seconds) * 1000;
}

// Elapsed time at a fraction of the race. Most runners slow down: a fade > 0 makes the early part faster
// than the average pace (a positive split) while keeping the curve increasing; the jitter is too small
// to reorder neighbouring mats.
std::int64_t split_ms(Rng& rng, double chip_seconds, double fraction, double fade) {
  const double elapsed = fraction - fade * fraction * (1.0 - fraction);
  const double jitter = 1.0 + (rng.uniform() - 0.5) * 0.006;
  return std::llround(chip_seconds * elapsed * jitter) * 1000;
}

void add_splits(Rng& rng, Entry& entry, double chip_seconds, std::size_t count) {
  const auto points = split_points(entry.race_distance_m);
  const double fade = rng.uniform(0.0, 0.12);
  count = std::min(count, points.size());
  entry.splits.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const double fraction = static_cast<double>(points[i].distance_m) / entry.race_distance_m;
    entry.splits.push_back({std::string(points[i].name), points[i].distance_m, split_ms(rng, chip_seconds, fraction, fade)});
  }
}

// Chip, gun and split times by status: finishers and DQs have all of them, DNFs only the first one or
// two mats they crossed, DNSs nothing. speed_factor: the event's course, weather and field against the
// model.
void add_times(Rng& rng, Entry& entry, double speed_factor, std::size_t race_entries) {
  if (entry.status == "dns") return;
  const double noise = std::exp(time_spread(entry.race_distance_m) * clamped_gauss(rng));
  const double chip_seconds =
      base_seconds(entry.race_distance_m) * runner_factor(entry.gender, entry.age) * speed_factor * noise;
  if (entry.status == "dnf") {
    add_splits(rng, entry, chip_seconds, rng.chance(0.5) ? 1 : 2);
    return;
  }
  entry.chip_time_ms = to_result_ms(rng, chip_seconds);
  // Crossing the start line after the gun: up to four minutes back in a big field, one in a small one.
  const double max_start_delay = race_entries > 400 ? 240.0 : 60.0;
  entry.gun_time_ms = *entry.chip_time_ms + std::llround(rng.uniform(0.0, max_start_delay)) * 1000;
  add_splits(rng, entry, chip_seconds, split_points(entry.race_distance_m).size());
}

struct EventContext {
  const PlannedEvent& event;
  HomePools homes;
};

Entry make_entry(Rng& rng, const EventContext& context, const PlannedRace& race, int bib) {
  const EventSpec& spec = *context.event.spec;
  Entry entry;
  entry.event_name = spec.name;
  entry.event_date = context.event.date;
  entry.event_city = spec.city;
  entry.event_state = spec.state;
  entry.event_country = "US";
  entry.race_name = race.spec->name;
  entry.race_distance_m = race.spec->distance_m;
  entry.bib = std::to_string(bib);
  entry.gender = pick_gender(rng);
  entry.first_name = pick_first_name(rng, entry.gender);
  entry.last_name = rng.pick<std::string_view>(kLastNames);
  entry.age = draw_age(rng, entry.race_distance_m);
  const Home& home = pick_home(rng, context.homes);
  entry.city = home.city;
  entry.state = home.state;
  entry.country = home.country;
  if (const auto& clubs = clubs_of(home.state); !clubs.empty() && rng.chance(0.15))
    entry.team = rng.pick<std::string_view>(clubs);
  entry.status = pick_status(rng);
  add_times(rng, entry, context.event.course_factor * spec.field_speed, race.entries);
  return entry;
}

// A few exact ties per race, so shared places (1, 2, 2, 4) show up. Only close neighbours are tied, so
// the later runner's splits still fit inside the new time.
void add_ties(Rng& rng, std::span<Entry> race_entries) {
  std::vector<Entry*> finishers;
  for (Entry& entry : race_entries)
    if (entry.status == "finished") finishers.push_back(&entry);
  if (finishers.size() < 20) return;
  std::stable_sort(finishers.begin(), finishers.end(),
                   [](const Entry* a, const Entry* b) { return *a->chip_time_ms < *b->chip_time_ms; });
  const std::size_t wanted = std::min<std::size_t>(3, 1 + finishers.size() / 500);
  std::size_t made = 0;
  for (int attempt = 0; attempt < 100 && made < wanted; ++attempt) {
    const std::size_t i = rng.below(finishers.size() - 1);
    Entry& faster = *finishers[i];
    Entry& slower = *finishers[i + 1];
    const std::int64_t gap = *slower.chip_time_ms - *faster.chip_time_ms;
    if (gap <= 0 || gap > *faster.chip_time_ms / 200) continue;
    slower.chip_time_ms = faster.chip_time_ms;
    *slower.gun_time_ms -= gap;  // the same start delay as before
    ++made;
  }
}

void append_event_entries(const PlannedEvent& event, std::vector<Entry>& out) {
  Rng rng(event.entries_seed);
  const EventContext context{event, home_pools(event.spec->state)};
  for (const PlannedRace& race : event.races) {
    const std::size_t first = out.size();
    for (std::size_t i = 0; i < race.entries; ++i)
      out.push_back(make_entry(rng, context, race, race.first_bib + static_cast<int>(i)));
    add_ties(rng, std::span<Entry>(out).subspan(first));
  }
}

// The rows the importer writes to ct_results for these entries.
std::size_t count_result_rows(std::span<const Entry> entries) {
  std::size_t rows = 0;
  for (const Entry& entry : entries) {
    if (entry.chip_time_ms && (entry.status == "finished" || entry.status == "dq")) ++rows;
    if (entry.status != "dns") rows += entry.splits.size();
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------
// Loading.

// Batches of whole events (places are computed per race from the batch's races) of at most about this
// many entries, to bound memory at prod scale.
constexpr std::size_t kMaxBatchEntries = 50'000;

class ProgressReporter {
 public:
  ProgressReporter(const SeedOptions& options, std::size_t total) : callback_(options.progress), total_(total) {}
  void advance(std::size_t entries) {
    done_ += entries;
    if (callback_) callback_(done_, total_);
  }

 private:
  const std::function<void(std::size_t, std::size_t)>& callback_;
  std::size_t done_ = 0;
  std::size_t total_;
};

std::int64_t ensure_partner(Database& db, const PartnerSpec& spec, const std::vector<admin::Partner>& existing) {
  for (const auto& partner : existing)
    if (partner.slug == spec.slug) return partner.timing_partner_id;
  return admin::add_partner(db, spec.name, spec.slug);
}

void load_partner(Database& db, std::int64_t partner_id, const std::vector<PlannedEvent>& plan,
                  const ingest::ImportOptions& import_options, SeedReport& report, ProgressReporter& progress) {
  std::vector<Entry> batch;
  // One transaction per batch, and fresh planner statistics after each: a later batch joins against
  // tables the earlier ones grew. The seed is idempotent, so a run cut short is simply run again.
  auto load_batch = [&] {
    if (batch.empty()) return;
    TenantSession session(db, partner_id, Access::read_write);
    const ingest::ImportReport imported = ingest::import_entries(session, batch, import_options);
    session.commit();
    ingest::refresh_statistics(db, imported);
    report.events += imported.events;
    report.races += imported.races;
    report.entries += batch.size();
    report.results += count_result_rows(batch);
    progress.advance(batch.size());
    batch.clear();
  };
  for (const PlannedEvent& event : plan) {
    if (batch.size() + event.entries() > kMaxBatchEntries) load_batch();
    append_event_entries(event, batch);
  }
  load_batch();
}

}  // namespace

const std::vector<PartnerSpec>& demo_partners() {
  static const std::vector<PartnerSpec> kSpecs = [] {
    std::vector<PartnerSpec> specs;
    for (const auto& partner : partner_templates()) specs.push_back({std::string(partner.name), std::string(partner.slug)});
    return specs;
  }();
  return kSpecs;
}

std::vector<Entry> generate_partner_entries(std::size_t partner_index, Scale scale, std::uint64_t seed) {
  const std::vector<PlannedEvent> plan = plan_partner(partner_index, scale, seed);
  std::size_t total = 0;
  for (const auto& event : plan) total += event.entries();
  std::vector<Entry> entries;
  entries.reserve(total);
  for (const auto& event : plan) append_event_entries(event, entries);
  return entries;
}

SeedReport seed_demo_data(Database& db, const SeedOptions& options) {
  const auto& partners = demo_partners();
  // Plan everything first: cheap, and it gives the progress callback its total.
  std::vector<std::vector<PlannedEvent>> plans;
  std::size_t total_entries = 0;
  for (std::size_t i = 0; i < partners.size(); ++i) {
    plans.push_back(plan_partner(i, options.scale, options.seed));
    for (const auto& event : plans.back()) total_entries += event.entries();
  }

  ingest::ImportOptions import_options;
  import_options.provider = "demo";
  import_options.source = fmt::format("racetiming seed: {} scale, seed {}",
                                      options.scale == Scale::prod ? "prod" : "demo", options.seed);

  SeedReport report;
  ProgressReporter progress(options, total_entries);
  const std::vector<admin::Partner> existing = admin::list_partners(db);
  for (std::size_t i = 0; i < partners.size(); ++i) {
    const std::int64_t partner_id = ensure_partner(db, partners[i], existing);
    load_partner(db, partner_id, plans[i], import_options, report, progress);
    ++report.partners;
  }
  return report;
}

}  // namespace racetiming::seed
