#include "seraug/service/serve_settings.hpp"

#include "seraug/analysis/analyze_settings.hpp"
#include "seraug/common/declared_section.hpp"
#include "seraug/experiment/experiment_parameters.hpp"

namespace seraug {

const std::vector<Field<ServeSettings>>& serve_fields() {
  using S = ServeSettings;
  static const std::vector<Field<S>> fields = with_defaults<S>({
      {text_parameter("host", "", "address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface, then give a token)"),
       &S::host},
      {integer_parameter("port", "", 0, 65535, "TCP port (0: any free port, printed when listening)"), &S::port},
      {number_parameter("max_upload_mb", "", 0.001, 4096, "largest request body in MB (10^6 bytes); larger ones are answered 413"),
       &S::max_upload_mb},
      {integer_parameter("workers", "", 1, 256, "uploads analysed at once (each on one thread)"), &S::workers},
      {integer_parameter("queue", "", 0, 4096, "uploads that may wait for a worker; beyond them requests are answered 503"), &S::queue},
      {integer_parameter("max_streams", "", 0, 1024, "live streams (microphone) open at once; beyond them 503"), &S::max_streams},
      {number_parameter("stream_idle_s", "", 1, 3600, "a live stream that sends no audio for this long is closed (seconds)"),
       &S::stream_idle_s},
      {number_parameter("timeout_s", "", 1, 600, "read and write timeout of a connection: slow clients are cut off (seconds)"),
       &S::timeout_s},
  });
  return fields;
}

void ServeSettings::validate() const {
  validate_fields(serve_fields(), *this, "serve");
  if (host.empty()) throw Error("serve.host must not be empty (127.0.0.1 for this machine only)");
}

ServeSettings load_serve_settings(const std::string& path) { return load_declared_section(path, "serve", serve_fields()); }

ServeSettings with_serve_settings(ServeSettings s, const std::vector<std::pair<std::string, std::string>>& given, ValueSyntax syntax) {
  return with_declared_settings(std::move(s), "serve", serve_fields(), given, syntax);
}

std::string parameters_page_markdown() {
  return all_parameters_markdown() + analyze_parameters_markdown() +
         "\n## [serve]\n\n"
         "`seraug serve MODEL` (a web page and an HTTP API over a model; docs/serve.md). Each key is a flag of\n"
         "`serve` and a key of a `[serve]` table in the file `serve --config` reads. The bearer token is not a\n"
         "parameter: give it with `--token` or `SERAUG_SERVE_TOKEN`.\n\n" +
         parameters_table_markdown(parameters_of(serve_fields()), "");
}

}  // namespace seraug
