// GET /v1/realtime?intent=transcription upgraded to a WebSocket: OpenAI's Realtime API for
// transcription sessions, over a vox LiveSession. The protocol (JSON, audio formats) is
// vox/live/realtime_protocol.h; the upgrade and framing are the adapter's (httplib_adapter.cpp).
#pragma once

#include "server/app.h"
#include "server/websocket.h"

namespace vox::server {

WebSocketRoute realtime_route(ServiceContext& ctx);

}  // namespace vox::server
