// The settings of `seraug serve` (the web page and HTTP API over a model), declared once
// as the [serve] table: the CLI flags, the TOML keys and docs/parameters.md come from
// serve_fields(). The bearer token is not among them: a secret belongs in the
// environment or a flag, never in a config file or a report.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "seraug/common/parameter.hpp"

namespace seraug {

struct ServeSettings {
  std::string host = "127.0.0.1";  // loopback unless told otherwise
  int port = 8080;                 // 0: any free port (printed when listening)
  double max_upload_mb = 50;       // larger request bodies are answered 413
  int workers = 2;                 // uploads analysed at once
  int queue = 8;                   // uploads waiting for a worker; beyond, 503
  int max_streams = 4;             // live microphone streams at once; beyond, 503
  double stream_idle_s = 30;       // a stream with no audio for this long is closed
  double timeout_s = 10;           // read and write timeouts of a connection (slow clients)

  void validate() const;  // every row's check; throws naming the key
};

const std::vector<Field<ServeSettings>>& serve_fields();

// The [serve] table of a TOML file (other tables are ignored); throws seraug::Error
// naming the file and the key.
ServeSettings load_serve_settings(const std::string& path);
// Settings a front end gives as text over `base`; throws "serve.<name> …".
ServeSettings with_serve_settings(ServeSettings base, const std::vector<std::pair<std::string, std::string>>& given, ValueSyntax syntax);

// docs/parameters.md: every section's table, [analyze]'s and [serve]'s.
std::string parameters_page_markdown();

}  // namespace seraug
