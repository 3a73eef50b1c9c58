#pragma once
// OpenID Connect Back-Channel Logout 1.0: when a resident signs out through /oidc/logout,
// every client they used during that login and that registered a backchannel_logout_uri gets
// a signed logout token, POSTed by a job (so a slow or dead relying party never holds up the
// resident, and delivery is retried with backoff).
#include <string_view>

#include "platform/db/database.hpp"
#include "platform/jobs/worker.hpp"

namespace zocalo::identity {

// The job kind; its payload is {"uri": ..., "logout_token": ..., "client_id": ...}.
inline constexpr std::string_view kBackchannelLogoutJob = "identity.backchannel_logout";

// Registers the identity module's job handlers on a worker (today: back-channel logout, an
// HTTP POST with libcurl, 10 s timeout; 2xx is delivered, 400 is permanent (the relying party
// rejected the token, §2.8), anything else is retried). Call before worker.start().
void register_job_handlers(jobs::Worker& worker, db::Database& db);

}  // namespace zocalo::identity
