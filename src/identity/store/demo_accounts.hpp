#pragma once
// `zocalo serve --demo`: the people the README tells visitors to sign in as. Idempotent: an
// account that exists already (by e-mail) is left as it is.
//
//   residente@demo.zocalo.mx / Llave-Demo-2026  Ana Gómez Martínez, CURP GOMA900517MDFMRN03,
//                                               e-mail verified and CURP validated (level 2)
//   admin@demo.zocalo.mx     / Admin-Demo-2026  staff: admin and identity verifier (level 2)
//   operador@demo.zocalo.mx  / Operador-Demo-2026  staff: call-centre operator (level 1)
//   agua@demo.zocalo.mx      / Agua-Demo-2026      agency staff: Sistema de Aguas (sacmex)
//   fugas@demo.zocalo.mx     / Fugas-Demo-2026     agency staff: Sistema de Aguas (sacmex)
//   cuauhtemoc@demo.zocalo.mx / Cuauhtemoc-Demo-2026  agency staff: alcaldía Cuauhtémoc
//                                               (alcaldia-09015: lighting, potholes, ...)
// Agency staff are seeded only when their agency exists (portal's demo seed runs first).
#include <cstdint>

#include "identity/model/password_hasher.hpp"
#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::identity {

Status seed_demo_accounts(db::Database& db, const PasswordHasher& hasher, std::int64_t now);

}  // namespace zocalo::identity
