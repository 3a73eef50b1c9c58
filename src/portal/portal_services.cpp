#include "portal/portal.hpp"

namespace zocalo::portal {

Status add_portal_services(ServiceDirectory& directory) {
  if (auto ok = directory.add_category({"government", "portal.category.government"}); !ok) {
    return ok;
  }
  if (auto ok = directory.add({.id = "alcaldias",
                               .title_key = "portal.alcaldias.title",
                               .summary_key = "portal.alcaldias.summary",
                               .href = "/alcaldias",
                               .keywords = {"alcaldía", "alcaldías", "delegación", "demarcación",
                                            "municipio", "borough", "municipality", "district"},
                               .category = "government"});
      !ok) {
    return ok;
  }
  return directory.add({.id = "dependencias",
                        .title_key = "portal.agencies.title",
                        .summary_key = "portal.agencies.summary",
                        .href = "/dependencias",
                        .keywords = {"dependencia", "secretaría", "gobierno", "organismo", "agency",
                                     "ministry", "department", "government"},
                        .category = "government"});
}

}  // namespace zocalo::portal
