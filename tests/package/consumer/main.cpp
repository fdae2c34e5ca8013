// Opens a database, migrates it and lists partners through the installed public API.
#include <iostream>

#include <racetiming/admin/partners.hpp>
#include <racetiming/store/database.hpp>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  auto db = racetiming::Database::open(argv[1]);
  db.migrate();
  racetiming::admin::add_partner(db, "Consumer Timing", "consumer");
  std::cout << racetiming::admin::list_partners(db).size() << "\n";
}
