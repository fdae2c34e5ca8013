#pragma once
// OpenAI's chat API over the NL engine, so that OpenWebUI and any OpenAI client talk to racetimingd with
// nothing in between: GET /v1/models, GET /v1/models/{model} and POST /v1/chat/completions (a whole
// reply, or Server-Sent Events in OpenAI's chunk format). The bearer token is the partner's API key or
// a JWT; the partner is the credential's. Failures take OpenAI's error shape.
#include "app/router.hpp"

namespace racetimingd::app {

void add_chat_routes(Router& router);

}  // namespace racetimingd::app
