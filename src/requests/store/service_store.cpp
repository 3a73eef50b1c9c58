#include "requests/store/service_store.hpp"

#include <boost/json.hpp>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "platform/core/time.hpp"
#include "platform/db/kept_statement.hpp"
#include "requests/model/catalog_import.hpp"

namespace zocalo::requests {
namespace {

namespace json = boost::json;

Error invalid(std::string detail) {
  return Error::invalid("requests.catalog.invalid", std::move(detail));
}

// Open311 publishes keywords as a comma-separated list; the column holds them the same way.
std::string keyword_column(const std::vector<std::string>& keywords) {
  std::string out;
  for (const std::string& k : keywords) {
    if (!out.empty()) out += ',';
    out += k;
  }
  return out;
}

std::string values_column(const std::vector<AttributeValue>& values) {
  json::array array;
  for (const AttributeValue& v : values)
    array.push_back(json::object{{"key", v.key}, {"name", v.name}});
  return json::serialize(array);
}

Result<std::vector<AttributeValue>> values_from_column(const std::string& column) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(column, ec);
  const json::array* array = ec ? nullptr : parsed.if_array();
  if (!array) return fail(Error::internal("service_attributes.values_json is not an array"));
  std::vector<AttributeValue> values;
  for (const json::value& item : *array) {
    const json::object* o = item.if_object();
    const json::value* key = o ? o->if_contains("key") : nullptr;
    const json::value* name = o ? o->if_contains("name") : nullptr;
    if (!key || !name || !key->is_string() || !name->is_string()) {
      return fail(Error::internal("service_attributes.values_json holds a malformed value"));
    }
    values.push_back({std::string(key->get_string()), std::string(name->get_string())});
  }
  return values;
}

// One services row as read; columns in the order of kServiceColumns.
struct ServiceRow {
  long long id = 0;
  Service service;
  std::string keywords;
  std::string type;
  int active = 1;

  Result<Service> to_service() && {
    const auto parsed_type = parse_service_type(type);
    if (!parsed_type) return fail(Error::internal("services.type " + type + " unknown"));
    service.type = *parsed_type;
    service.keywords = split_keyword_list(keywords);
    service.active = active != 0;
    return std::move(service);
  }
};

constexpr std::string_view kServiceColumns =
    "SELECT id, code, name_es, name_en, description_es, description_en, group_es, group_en, "
    "keywords, agency_code, sla_hours, type, sort_order, active FROM services ";

void bind_service_row(soci::statement& st, ServiceRow& r) {
  Service& s = r.service;
  st.exchange(soci::into(r.id));
  st.exchange(soci::into(s.code));
  st.exchange(soci::into(s.name.es));
  st.exchange(soci::into(s.name.en));
  st.exchange(soci::into(s.description.es));
  st.exchange(soci::into(s.description.en));
  st.exchange(soci::into(s.group.es));
  st.exchange(soci::into(s.group.en));
  st.exchange(soci::into(r.keywords));
  st.exchange(soci::into(s.agency_code));
  st.exchange(soci::into(s.sla_hours));
  st.exchange(soci::into(r.type));
  st.exchange(soci::into(s.order));
  st.exchange(soci::into(r.active));
}

// A one-shot statement of `columns` + `condition` whose rows land in `bind`'s variables.
// `condition` is a constant of this file, never input; `use` binds its parameters.
template <class Row, class Use>
soci::statement select_rows(soci::session& sql, std::string_view columns,
                            std::string_view condition, void (*bind)(soci::statement&, Row&),
                            Row& row, Use&& use) {
  soci::statement st(sql);
  bind(st, row);
  st.exchange(std::forward<Use>(use));
  st.alloc();
  st.prepare(std::string(columns) + std::string(condition), soci::details::st_one_time_query);
  st.define_and_bind();
  return st;
}

template <class Use>
soci::statement select_services(soci::session& sql, std::string_view condition, ServiceRow& r,
                                Use&& use) {
  return select_rows(sql, kServiceColumns, condition, &bind_service_row, r, std::forward<Use>(use));
}

struct AttributeRow {
  long long service_id = 0;
  AttributeDefinition attribute;
  std::string datatype;
  int variable = 1;
  int required = 0;
  std::string values_json;

  Result<AttributeDefinition> to_attribute() && {
    const auto parsed_datatype = parse_attribute_datatype(datatype);
    if (!parsed_datatype) {
      return fail(Error::internal("service_attributes.datatype " + datatype + " unknown"));
    }
    auto values = values_from_column(values_json);
    if (!values) return fail(values.error());
    attribute.datatype = *parsed_datatype;
    attribute.variable = variable != 0;
    attribute.required = required != 0;
    attribute.values = std::move(*values);
    return std::move(attribute);
  }
};

constexpr std::string_view kAttributeColumns =
    "SELECT a.service_id, a.code, a.datatype, a.variable, a.required, a.sort_order, "
    "a.description, a.datatype_description, a.values_json "
    "FROM service_attributes a JOIN services s ON s.id = a.service_id ";

void bind_attribute_row(soci::statement& st, AttributeRow& r) {
  AttributeDefinition& a = r.attribute;
  st.exchange(soci::into(r.service_id));
  st.exchange(soci::into(a.code));
  st.exchange(soci::into(r.datatype));
  st.exchange(soci::into(r.variable));
  st.exchange(soci::into(r.required));
  st.exchange(soci::into(a.order));
  st.exchange(soci::into(a.description));
  st.exchange(soci::into(a.datatype_description));
  st.exchange(soci::into(r.values_json));
}

template <class Use>
soci::statement select_attributes(soci::session& sql, std::string_view condition, AttributeRow& r,
                                  Use&& use) {
  return select_rows(sql, kAttributeColumns, condition, &bind_attribute_row, r,
                     std::forward<Use>(use));
}

// One service and its attributes by code: every Open311 POST and web report reads it, so both
// statements are kept prepared (platform/db/kept_statement.hpp).
struct FindService {
  static inline const std::string kSql = std::string(kServiceColumns) + "WHERE code = :code";
  std::string code;
  ServiceRow row;
  void bind(soci::statement& st) {
    bind_service_row(st, row);
    st.exchange(soci::use(code));
  }
};

struct FindAttributes {
  static inline const std::string kSql =
      std::string(kAttributeColumns) + "WHERE s.code = :code ORDER BY a.sort_order";
  std::string code;
  AttributeRow row;
  void bind(soci::statement& st) {
    bind_attribute_row(st, row);
    st.exchange(soci::use(code));
  }
};

// Reads the services a statement selects, then their attributes with a second statement: two
// queries whatever the catalog's size, not one per service.
Result<std::vector<Service>> read_services(soci::statement& services, ServiceRow& row,
                                           soci::statement& attributes, AttributeRow& arow) {
  std::vector<Service> out;
  std::unordered_map<long long, std::size_t> index_of;
  services.execute();
  while (services.fetch()) {
    index_of.emplace(row.id, out.size());
    auto service = ServiceRow(row).to_service();
    if (!service) return fail(service.error());
    out.push_back(std::move(*service));
  }
  attributes.execute();
  while (attributes.fetch()) {
    const auto it = index_of.find(arow.service_id);
    if (it == index_of.end()) continue;  // its service changed between the two reads
    auto attribute = AttributeRow(arow).to_attribute();
    if (!attribute) return fail(attribute.error());
    out[it->second].attributes.push_back(std::move(*attribute));
  }
  return out;
}

std::unordered_set<std::string> agency_codes(soci::session& sql) {
  std::unordered_set<std::string> codes;
  const soci::rowset<std::string> rows = (sql.prepare << "SELECT code FROM agencies");
  for (const std::string& code : rows) codes.insert(code);
  return codes;
}

// Upserts by code; created_at is kept on update. Returns the service's id.
class ServiceUpsert {
 public:
  explicit ServiceUpsert(soci::session& sql, std::int64_t now)
      : created_at_(now),
        updated_at_(now),
        st_((sql.prepare << "INSERT INTO services (code, name_es, name_en, description_es, "
                            "description_en, group_es, group_en, keywords, agency_code, "
                            "sla_hours, type, sort_order, active, created_at, updated_at) "
                            "VALUES (:code, :name_es, :name_en, :description_es, "
                            ":description_en, :group_es, :group_en, :keywords, :agency_code, "
                            ":sla_hours, :type, :sort_order, :active, :created_at, :updated_at) "
                            "ON CONFLICT (code) DO UPDATE SET name_es = excluded.name_es, "
                            "name_en = excluded.name_en, "
                            "description_es = excluded.description_es, "
                            "description_en = excluded.description_en, "
                            "group_es = excluded.group_es, group_en = excluded.group_en, "
                            "keywords = excluded.keywords, agency_code = excluded.agency_code, "
                            "sla_hours = excluded.sla_hours, type = excluded.type, "
                            "sort_order = excluded.sort_order, active = excluded.active, "
                            "updated_at = excluded.updated_at "
                            "RETURNING id",
             soci::use(s_.code), soci::use(s_.name.es), soci::use(s_.name.en),
             soci::use(s_.description.es), soci::use(s_.description.en), soci::use(s_.group.es),
             soci::use(s_.group.en), soci::use(keywords_), soci::use(s_.agency_code),
             soci::use(s_.sla_hours), soci::use(type_), soci::use(s_.order), soci::use(active_),
             soci::use(created_at_), soci::use(updated_at_), soci::into(id_))) {}

  long long run(const Service& service) {
    s_ = service;
    s_.attributes.clear();
    keywords_ = keyword_column(service.keywords);
    type_ = std::string(service_type_name(service.type));
    active_ = service.active ? 1 : 0;
    st_.execute(true);
    return id_;
  }

 private:
  Service s_;
  std::string keywords_;
  std::string type_;
  int active_ = 1;
  std::int64_t created_at_;
  std::int64_t updated_at_;
  long long id_ = 0;
  soci::statement st_;
};

class AttributeInsert {
 public:
  explicit AttributeInsert(soci::session& sql)
      : st_((sql.prepare << "INSERT INTO service_attributes (service_id, code, datatype, "
                            "variable, required, sort_order, description, "
                            "datatype_description, values_json) "
                            "VALUES (:service_id, :code, :datatype, :variable, :required, "
                            ":sort_order, :description, :datatype_description, :values_json)",
             soci::use(service_id_), soci::use(a_.code), soci::use(datatype_), soci::use(variable_),
             soci::use(required_), soci::use(a_.order), soci::use(a_.description),
             soci::use(a_.datatype_description), soci::use(values_json_))) {}

  void run(long long service_id, const AttributeDefinition& attribute) {
    service_id_ = service_id;
    a_ = attribute;
    datatype_ = std::string(to_string(attribute.datatype));
    variable_ = attribute.variable ? 1 : 0;
    required_ = attribute.required ? 1 : 0;
    values_json_ = values_column(attribute.values);
    st_.execute(true);
  }

 private:
  long long service_id_ = 0;
  AttributeDefinition a_;
  std::string datatype_;
  int variable_ = 1;
  int required_ = 0;
  std::string values_json_;
  soci::statement st_;
};

// kReplace: every active service not in the import is deactivated, never deleted.
void deactivate_absent(soci::session& sql, const std::unordered_set<long long>& imported,
                       std::int64_t now) {
  std::vector<long long> absent;
  const soci::rowset<long long> active =
      (sql.prepare << "SELECT id FROM services WHERE active = 1");
  for (const long long id : active) {
    if (!imported.contains(id)) absent.push_back(id);
  }
  long long id = 0;
  soci::statement deactivate =
      (sql.prepare << "UPDATE services SET active = 0, updated_at = :now WHERE id = :id",
       soci::use(now), soci::use(id));
  for (const long long absent_id : absent) {
    id = absent_id;
    deactivate.execute(true);
  }
}

}  // namespace

Status ServiceStore::import(const std::vector<Service>& services, ImportMode mode,
                            const db::AlsoInTransaction& also) {
  if (Status valid = validate_catalog(services); !valid) return valid;
  const std::int64_t now = time::now_unix();
  return db_.transaction([&](soci::session& sql) -> Status {
    // Checked here rather than left to the foreign key, so that the admin learns which service
    // is wrong; inside the transaction, so that an agency cannot vanish in between.
    const std::unordered_set<std::string> agencies = agency_codes(sql);
    for (const Service& s : services) {
      if (!agencies.contains(s.agency_code)) {
        return fail(invalid("service '" + s.code + "': agency_code '" + s.agency_code +
                            "' is not an agency"));
      }
    }
    ServiceUpsert upsert(sql, now);
    AttributeInsert insert_attribute(sql);
    long long service_id = 0;
    soci::statement delete_attributes =
        (sql.prepare << "DELETE FROM service_attributes WHERE service_id = :service_id",
         soci::use(service_id));
    std::unordered_set<long long> imported;
    for (const Service& s : services) {
      service_id = upsert.run(s);
      imported.insert(service_id);
      delete_attributes.execute(true);
      for (const AttributeDefinition& a : s.attributes) insert_attribute.run(service_id, a);
    }
    if (mode == ImportMode::kReplace) deactivate_absent(sql, imported, now);
    return db::run_also(sql, also);
  });
}

Result<std::vector<Service>> ServiceStore::list(bool include_inactive) {
  // active is 0 or 1: ">= 0" keeps every service, ">= 1" the active ones.
  const int min_active = include_inactive ? 0 : 1;
  Result<std::vector<Service>> out = std::vector<Service>{};
  const Status status = db_.read([&](soci::session& sql) -> Status {
    ServiceRow row;
    soci::statement services =
        select_services(sql, "WHERE active >= :min_active ORDER BY group_es, sort_order, code", row,
                        soci::use(min_active));
    AttributeRow arow;
    soci::statement attributes =
        select_attributes(sql, "WHERE s.active >= :min_active ORDER BY a.service_id, a.sort_order",
                          arow, soci::use(min_active));
    out = read_services(services, row, attributes, arow);
    return {};
  });
  if (!status) return fail(status.error());
  return out;
}

Result<std::optional<Service>> ServiceStore::find(const std::string& code) {
  Result<std::vector<Service>> found = std::vector<Service>{};
  const Status status = db_.read([&](soci::session& sql) -> Status {
    auto service = db::kept<FindService>(sql);
    auto attributes = db::kept<FindAttributes>(sql);
    service->values.code = code;
    attributes->values.code = code;
    service->with_rows([&](soci::statement& services) {
      attributes->with_rows([&](soci::statement& rows) {
        found = read_services(services, service->values.row, rows, attributes->values.row);
      });
    });
    return {};
  });
  if (!status) return fail(status.error());
  if (!found) return fail(found.error());
  if (found->empty()) return std::optional<Service>{};
  return std::optional<Service>(std::move(found->front()));
}

}  // namespace zocalo::requests
