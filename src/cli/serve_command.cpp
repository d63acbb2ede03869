// seraug serve: a web page and an HTTP API over a model (docs/serve.md).
#include <cstdlib>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/conventions.hpp"
#include "cli/declared_flags.hpp"
#include "seraug/common/error.hpp"
#include "seraug/service/server.hpp"

namespace seraug::cli {
namespace {

struct ServeOptions {
  std::string model, config, token;
  std::map<std::string, std::string> serve_text, analyze_text;  // declared name -> the word typed
  bool quiet = false;
  CLI::App* command = nullptr;
};

bool loopback(const std::string& host) { return host == "127.0.0.1" || host == "localhost" || host == "::1"; }

int run_serve(const ServeOptions& o) {
  const ServeSettings serve = with_serve_settings(o.config.empty() ? ServeSettings{} : load_serve_settings(o.config),
                                                  given_settings(o.serve_text, o.command), ValueSyntax::Word);
  const AnalyzeSettings analyze = with_analyze_settings(o.config.empty() ? AnalyzeSettings{} : load_analyze_settings(o.config),
                                                        given_settings(o.analyze_text, o.command), ValueSyntax::Word);
  std::string token = o.token;
  if (token.empty())
    if (const char* env = std::getenv("SERAUG_SERVE_TOKEN")) token = env;
  if (!token.empty() && token.size() < 16) throw Error("--token: use at least 16 characters (a guessable token protects nothing)");
  const TrainedModel model = load_trained_model(o.model);
  AnalysisService service(model, o.model, analyze, serve);
  if (!loopback(serve.host) && token.empty())
    std::cerr << "seraug serve: warning: listening on " << serve.host << " without --token: anyone who can reach this port can use it\n";
  ServerHooks hooks;
  hooks.listening = [&](const std::string& url) {
    std::cerr << "seraug serve: " << o.model << " (" << model.classes.size() << " classes) on " << url << " (Ctrl-C stops)" << std::endl;
  };
  if (!o.quiet) hooks.log = [](const std::string& line) { std::cerr << "seraug serve: " << line << std::endl; };
  serve_http(service, serve, token, hooks);
  status(o.quiet, "seraug serve: stopped");
  return 0;
}

}  // namespace

Action add_serve_command(CLI::App& app) {
  auto o = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "A web page and an HTTP API over a model: upload a recording or speak into the "
                                              "microphone and see its emotion timeline (docs/serve.md)");
  o->command = cmd;
  cmd->add_option("model", o->model, "Model folder written by seraug train")->required();
  cmd->add_option("--config", o->config, "A TOML file whose [serve] and [analyze] tables set the settings below")->check(CLI::ExistingFile);
  cmd->add_option("--token", o->token, "Require 'Authorization: Bearer TOKEN' on /api/ (default: $SERAUG_SERVE_TOKEN; none)");
  add_declared_flags(cmd, serve_fields(), "serve", o->serve_text, {}, "");
  add_declared_flags(cmd, analyze_fields(), "analyze", o->analyze_text, {"channels", "sample_rate"}, "");
  add_quiet(cmd, o->quiet);
  return [o] { return run_serve(*o); };
}

}  // namespace seraug::cli
