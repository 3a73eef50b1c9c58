#include "requests/store/service_store.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "db_fixture.hpp"

namespace zocalo::requests {
namespace {

using T = AttributeDatatype;

// Every field of a service as text: one comparison shows the whole difference.
std::string dump(const Service& s) {
  std::ostringstream out;
  out << s.code << "|" << s.name.es << "|" << s.name.en << "|" << s.description.es << "|"
      << s.description.en << "|" << s.group.es << "|" << s.group.en << "|";
  for (const std::string& k : s.keywords) out << k << ";";
  out << "|" << s.agency_code << "|" << s.sla_hours << "|" << service_type_name(s.type) << "|"
      << s.order << "|" << s.active << "\n";
  for (const AttributeDefinition& a : s.attributes) {
    out << "  " << a.code << "|" << to_string(a.datatype) << "|" << a.variable << "|" << a.required
        << "|" << a.order << "|" << a.description << "|" << a.datatype_description << "|";
    for (const AttributeValue& v : a.values) out << v.key << "=" << v.name << ";";
    out << "\n";
  }
  return out.str();
}

std::string dump(const std::vector<Service>& services) {
  std::string out;
  for (const Service& s : services) out += dump(s);
  return out;
}

std::vector<std::string> codes(const std::vector<Service>& services) {
  std::vector<std::string> out;
  for (const Service& s : services) out.push_back(s.code);
  return out;
}

Service service(std::string code, std::string group, int order, std::string agency = "sobse") {
  Service s;
  s.code = std::move(code);
  s.name = {"Nombre " + s.code, "Name " + s.code};
  s.group = {std::move(group), ""};
  s.agency_code = std::move(agency);
  s.order = order;
  return s;
}

Service luminaria() {
  Service s = service("luminaria-apagada", "Alumbrado y calles", 10);
  s.description = {"Poste apagado.\nO intermitente.", "Light out."};
  s.group.en = "Lighting and streets";
  s.keywords = {"luz", "lámpara", "street light"};
  s.sla_hours = 72.5;
  s.type = ServiceType::kBatch;
  s.attributes = {
      {"cuantas",
       T::kSingleValueList,
       true,
       true,
       2,
       "¿Cuántas luminarias?",
       "Elija una",
       {{"1", "Una"}, {"2+", "Dos o más, \"muchas\""}}},
      {"aviso", T::kString, false, false, 1, "Si hay cables expuestos, llame al 911.", "", {}},
      {"desde", T::kDatetime, true, false, 3, "¿Desde cuándo?", "", {}},
  };
  return s;
}

class ServiceStoreTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // Only the rows the catalog refers to; the portal's full demo seed is demo_catalog_test's.
    db().with_session([](soci::session& sql) {
      for (const std::string code : {"sobse", "sacmex"}) {
        sql << "INSERT INTO agencies (code, name_es, name_en, kind) "
               "VALUES (:code, :name_es, :name_en, 'city')",
            soci::use(code), soci::use(code), soci::use(code);
      }
    });
  }

  ServiceStore store() { return ServiceStore(db()); }

  std::vector<Service> list(bool include_inactive = false) {
    auto services = store().list(include_inactive);
    EXPECT_TRUE(services) << services.error().detail;
    return services ? *services : std::vector<Service>{};
  }

  long long count(const std::string& table) {
    long long n = 0;
    // Table names come from the tests, never from input.
    db().with_session(
        [&](soci::session& sql) { sql << "SELECT COUNT(*) FROM " + table, soci::into(n); });
    return n;
  }

  long long id_of(const std::string& code) {
    long long id = 0;
    db().with_session([&](soci::session& sql) {
      sql << "SELECT id FROM services WHERE code = :code", soci::use(code), soci::into(id);
    });
    return id;
  }
};

TEST_P(ServiceStoreTest, ImportedServiceIsFoundWithEveryFieldAndAttributesInOrder) {
  ASSERT_TRUE(store().import({luminaria()}, ImportMode::kMerge));
  auto found = store().find("luminaria-apagada");
  ASSERT_TRUE(found) << found.error().detail;
  ASSERT_TRUE(found->has_value());
  Service expected = luminaria();
  std::swap(expected.attributes[0], expected.attributes[1]);  // sorted by order
  EXPECT_EQ(dump(**found), dump(expected));
}

TEST_P(ServiceStoreTest, FindUnknownCodeIsEmpty) {
  auto found = store().find("nada");
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->has_value());
}

TEST_P(ServiceStoreTest, ListOrdersByGroupThenOrderThenCodeWithAttributes) {
  Service b = service("b", "Agua", 2, "sacmex");
  b.attributes = {{"x", T::kNumber, true, false, 7, "¿X?", "", {}},
                  {"y", T::kText, true, false, 3, "¿Y?", "", {}}};
  ASSERT_TRUE(store().import(
      {service("z", "Calles", 1), luminaria(), b, service("a", "Agua", 2), service("c", "Agua", 1)},
      ImportMode::kMerge));
  const auto services = list();
  EXPECT_EQ(codes(services), (std::vector<std::string>{"c", "a", "b", "luminaria-apagada", "z"}));
  ASSERT_EQ(services.size(), 5u);
  ASSERT_EQ(services[2].attributes.size(), 2u);
  EXPECT_EQ(services[2].attributes[0].code, "y");
  EXPECT_EQ(services[2].attributes[1].code, "x");
  EXPECT_EQ(services[3].attributes.size(), 3u);
  EXPECT_TRUE(services[0].attributes.empty());
}

TEST_P(ServiceStoreTest, UnknownAgencyChangesNothing) {
  ASSERT_TRUE(store().import({luminaria()}, ImportMode::kMerge));
  const std::string before = dump(list(true));
  Service changed = luminaria();
  changed.name.es = "Cambiado";
  changed.attributes.pop_back();
  auto result = store().import({changed, service("bache", "Calles", 1, "no-such-agency")},
                               ImportMode::kReplace);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().user_key, "requests.catalog.invalid");
  EXPECT_EQ(result.error().detail,
            "service 'bache': agency_code 'no-such-agency' is not an agency");
  EXPECT_EQ(dump(list(true)), before);
  EXPECT_EQ(count("services"), 1);
  EXPECT_EQ(count("service_attributes"), 3);
}

// The caller's part of the transaction (an audit row) failing undoes the import.
TEST_P(ServiceStoreTest, AFailingAlsoInTheTransactionChangesNothing) {
  ASSERT_TRUE(store().import({luminaria()}, ImportMode::kMerge));
  const std::string before = dump(list(true));
  Service changed = luminaria();
  changed.name.es = "Cambiado";
  bool ran = false;
  auto result = store().import({changed, service("bache", "Calles", 1)}, ImportMode::kReplace,
                               [&](soci::session&) -> Status {
                                 ran = true;
                                 return fail(Error::invalid("identity.audit.invalid", "test"));
                               });
  ASSERT_FALSE(result);
  EXPECT_TRUE(ran);
  EXPECT_EQ(result.error().user_key, "identity.audit.invalid");
  EXPECT_EQ(dump(list(true)), before);
  EXPECT_EQ(count("services"), 1);
}

TEST_P(ServiceStoreTest, InvalidCatalogChangesNothing) {
  ASSERT_TRUE(store().import({luminaria()}, ImportMode::kMerge));
  Service bad = service("bache", "Calles", 1);
  bad.sla_hours = -1;
  auto result = store().import({service("nuevo", "Calles", 2), bad}, ImportMode::kMerge);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().detail, "item 2 ('bache'), sla_hours: must be a number from 0 to 10000");
  EXPECT_EQ(codes(list(true)), std::vector<std::string>{"luminaria-apagada"});
}

TEST_P(ServiceStoreTest, MergeKeepsServicesAbsentFromTheImport) {
  ASSERT_TRUE(store().import({service("a", "G", 1), service("b", "G", 2)}, ImportMode::kMerge));
  Service b = service("b", "G", 2);
  b.name.es = "Nuevo nombre";
  ASSERT_TRUE(store().import({b, service("c", "G", 3)}, ImportMode::kMerge));
  const auto services = list();
  EXPECT_EQ(codes(services), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(services[1].name.es, "Nuevo nombre");
}

TEST_P(ServiceStoreTest, ReplaceDeactivatesAbsentServicesWithoutDeletingThem) {
  ASSERT_TRUE(store().import({service("a", "G", 1), luminaria()}, ImportMode::kMerge));
  const long long luminaria_id = id_of("luminaria-apagada");
  ASSERT_TRUE(store().import({service("a", "G", 1)}, ImportMode::kReplace));
  EXPECT_EQ(codes(list()), std::vector<std::string>{"a"});
  const auto all = list(true);
  // "Alumbrado y calles" sorts before "G".
  EXPECT_EQ(codes(all), (std::vector<std::string>{"luminaria-apagada", "a"}));
  EXPECT_FALSE(all[0].active);
  EXPECT_EQ(all[0].attributes.size(), 3u);  // kept: requests may still show them
  auto found = store().find("luminaria-apagada");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_FALSE((*found)->active);

  // Imported again, it comes back as the same row: requests keep pointing at it.
  ASSERT_TRUE(store().import({luminaria()}, ImportMode::kMerge));
  EXPECT_EQ(id_of("luminaria-apagada"), luminaria_id);
  EXPECT_EQ(codes(list()), (std::vector<std::string>{"luminaria-apagada", "a"}));
}

TEST_P(ServiceStoreTest, ImportedInactiveServiceIsHiddenFromTheDefaultList) {
  Service hidden = service("oculto", "G", 1);
  hidden.active = false;
  ASSERT_TRUE(store().import({hidden, service("visible", "G", 2)}, ImportMode::kMerge));
  EXPECT_EQ(codes(list()), std::vector<std::string>{"visible"});
  EXPECT_EQ(list(true).size(), 2u);
}

TEST_P(ServiceStoreTest, AttributesOfAnImportedServiceAreReplaced) {
  ASSERT_TRUE(store().import({luminaria()}, ImportMode::kMerge));
  Service next = luminaria();
  // Same code and order as before but a new meaning: no UNIQUE clash with the old rows.
  next.attributes = {{"cuantas", T::kNumber, true, true, 1, "¿Cuántas exactamente?", "", {}}};
  ASSERT_TRUE(store().import({next}, ImportMode::kMerge));
  auto found = store().find("luminaria-apagada");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ(dump(**found), dump(next));

  next.attributes.clear();
  ASSERT_TRUE(store().import({next}, ImportMode::kMerge));
  EXPECT_EQ(count("service_attributes"), 0);
}

TEST_P(ServiceStoreTest, UpdateKeepsIdAndCreationTime) {
  ASSERT_TRUE(store().import({service("a", "G", 1)}, ImportMode::kMerge));
  const long long id = id_of("a");
  db().with_session(
      [](soci::session& sql) { sql << "UPDATE services SET created_at = 1, updated_at = 1"; });
  ASSERT_TRUE(store().import({service("a", "G", 5)}, ImportMode::kMerge));
  EXPECT_EQ(id_of("a"), id);
  long long created_at = 0, updated_at = 0;
  db().with_session([&](soci::session& sql) {
    sql << "SELECT created_at, updated_at FROM services WHERE id = :id", soci::use(id),
        soci::into(created_at), soci::into(updated_at);
  });
  EXPECT_EQ(created_at, 1);
  EXPECT_GT(updated_at, 1);
}

TEST_P(ServiceStoreTest, ImportingTheSameCatalogTwiceGivesTheSameRows) {
  const std::vector<Service> catalog = {luminaria(), service("a", "G", 1)};
  ASSERT_TRUE(store().import(catalog, ImportMode::kReplace));
  const std::string first = dump(list(true));
  ASSERT_TRUE(store().import(catalog, ImportMode::kReplace));
  EXPECT_EQ(dump(list(true)), first);
  EXPECT_EQ(count("services"), 2);
  EXPECT_EQ(count("service_attributes"), 3);
}

TEST_P(ServiceStoreTest, EmptyReplaceDeactivatesEverything) {
  ASSERT_TRUE(store().import({service("a", "G", 1)}, ImportMode::kMerge));
  ASSERT_TRUE(store().import({}, ImportMode::kReplace));
  EXPECT_TRUE(list().empty());
  EXPECT_EQ(list(true).size(), 1u);
}

ZOCALO_INSTANTIATE_DB_TEST(ServiceStoreTest);

}  // namespace
}  // namespace zocalo::requests
