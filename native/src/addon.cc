// romgfx native kernels: Node-API entry point.
#include <node_api.h>

static napi_value Abi(napi_env env, napi_callback_info) {
  napi_value result;
  napi_create_uint32(env, 1, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "abi", NAPI_AUTO_LENGTH, Abi, nullptr, &fn);
  napi_set_named_property(env, exports, "abi", fn);
  return exports;
}
