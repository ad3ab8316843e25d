// SPDX-License-Identifier: MIT
// FnpropTidyModule.cpp - the fnprop checks inside a clang-tidy run: a thin
// adapter that runs `fnprop --format=json` on each translation unit's main
// file and user headers and re-emits the diagnostics, witness notes and
// fix-its through ClangTidyCheck::diag.
//
// Key invariants:
//  - No analysis here.  Every finding comes from the fnprop binary (which
//    solves the whole program from its properties database, reusing its
//    cache); this file only maps JSON to clang-tidy diagnostics, so both
//    front ends always agree.
//  - fnprop is started with posix_spawn and an argument vector, never
//    through a shell, and once per main file however many fnprop-* checks
//    are enabled (the instances share one result).
//  - The plugin is built for exactly one LLVM major version (in its file
//    name) and refuses, with a message, to run in a clang-tidy of another:
//    C++ plugins have no stable ABI, and a mismatched one otherwise fails
//    silently.
//
// Options (CheckOptions, per check or global):
//   FnpropBinary    the fnprop executable (default: $FNPROP, else `fnprop`
//                   next to this plugin or in ../../bin, else on PATH)
//   FnpropBuildDir  directory holding compile_commands.json (default: the
//                   -p of this clang-tidy command line, else fnprop searches
//                   the parents of the file, as clang-tidy does)
//   FnpropDatabase  properties database (default: BUILD_DIR/fnprop.db)

#include "ClangTidyCheck.h"
#include "ClangTidyModule.h"
#include "ClangTidyModuleRegistry.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Basic/Version.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <vector>

extern char **environ;

// The major version this plugin is built for; a test build overrides it to
// exercise the refusal.
#ifndef FNPROP_TIDY_BUILT_MAJOR
#define FNPROP_TIDY_BUILT_MAJOR LLVM_VERSION_MAJOR
#endif

using namespace clang::ast_matchers;

namespace clang::tidy::fnprop {
namespace {

// The checks fnprop knows (fnprop --list-checks).  A diagnostic of a check
// not listed here (a newer fnprop) is emitted by the first instance with
// its check name in the message, never dropped.
const char *const CheckNames[] = {
    "fnprop-notls-violation",  "fnprop-nopanic-violation", "fnprop-notls-unproven",
    "fnprop-nopanic-unproven", "fnprop-contract-pointer",  "fnprop-missing-annotation",
    "fnprop-parse-error",      "fnprop-nolint",            "fnprop-task-pinned",
    "fnprop-omp-untied-tls",   "fnprop-omp-could-be-untied", "fnprop-task-unmigratable",
};
// The plugin's own check: fnprop could not run (no compile database, an
// unreadable or foreign database, no fnprop binary).  Not a finding about
// the code, so it has its own label.
const char SetupCheck[] = "fnprop-setup-error";

// ---- process-wide state, set when the plugin is loaded ---------------------
// clang-tidy changes the working directory to each compile command's
// directory, so everything relative on its command line is resolved here,
// at load time, while the directory is still the user's.
struct LoadState {
  std::string Cwd;       // working directory at load time
  std::string TidyBuild; // clang-tidy's -p, absolute; empty when not given
  std::string PluginDir; // directory of this shared object
};
LoadState &loadState() {
  static LoadState S;
  return S;
}

std::string absolute(llvm::StringRef Path, llvm::StringRef Base) {
  if (Path.empty() || llvm::sys::path::is_absolute(Path)) return Path.str();
  llvm::SmallString<256> P(Base);
  llvm::sys::path::append(P, Path);
  llvm::sys::path::remove_dots(P, true);
  return std::string(P);
}

// clang-tidy's own -p (forms -p DIR, -p=DIR, --p DIR, --p=DIR) from
// /proc/self/cmdline; arguments after `--` are a compile command.
std::string tidyBuildDir(const std::string &Cwd) {
  FILE *F = std::fopen("/proc/self/cmdline", "rb");
  if (!F) return "";
  std::string All;
  char Buf[4096];
  size_t N;
  while ((N = std::fread(Buf, 1, sizeof Buf, F)) > 0) All.append(Buf, N);
  std::fclose(F);
  std::vector<std::string> Args;
  for (size_t I = 0; I < All.size();) {
    size_t E = All.find('\0', I);
    if (E == std::string::npos) E = All.size();
    Args.push_back(All.substr(I, E - I));
    I = E + 1;
  }
  std::string Found;
  for (size_t I = 1; I < Args.size(); ++I) {
    llvm::StringRef A = Args[I];
    if (A == "--") break;
    if ((A == "-p" || A == "--p") && I + 1 < Args.size()) Found = Args[++I];
    else if (A.starts_with("-p=")) Found = A.drop_front(3).str();
    else if (A.starts_with("--p=")) Found = A.drop_front(4).str();
  }
  return absolute(Found, Cwd);
}

// The clang major version of the process that loaded us (clang-tidy links
// the clang libraries of its own version), or -1 when it cannot be read.
int runtimeMajor() {
  std::string V = clang::getClangFullVersion();
  for (size_t P = V.find("version "); P != std::string::npos; P = V.find("version ", P + 1)) {
    const char *S = V.c_str() + P + 8;
    if (*S >= '0' && *S <= '9') return std::atoi(S);
  }
  return -1;
}

// ---- one diagnostic, as fnprop's JSON writes it ----------------------------
struct Loc {
  std::string File;
  unsigned Line = 0, Col = 0;
};
struct Note {
  Loc At;
  std::string Message;
};
struct Fix {
  std::string File, Text;
  unsigned Offset = 0, Length = 0;
};
struct Finding {
  std::string Check, Severity, Message;
  Loc At;
  std::vector<Note> Notes;
  std::vector<Fix> Fixes;
  bool Known = false; // Check is one of CheckNames
};

// The result of one fnprop run for one main file; shared by the instances.
struct RunResult {
  std::string Key;          // main file + options it was computed for
  bool Failed = false;
  std::string Error;        // why, when Failed
  std::vector<Finding> Findings;
  bool FallbackTaken = false; // unknown checks already emitted
};
RunResult &lastRun() {
  static RunResult R;
  return R;
}

// Replacements already attached to an emitted diagnostic in this process
// (file, offset, length, text).  Every missing-annotation finding in a
// header carries the same `#include <fnprop.h>` insertion, and clang-tidy
// --fix applies each diagnostic's copy: like clang-tidy's own
// IncludeInserter, only the first diagnostic gets it.
std::set<std::string> &emittedFixes() {
  static std::set<std::string> S;
  return S;
}

// The fnprop checks alive for the current translation unit (clang-tidy
// creates the enabled ones per TU).  A failure to run fnprop is reported by
// one of them: fnprop-parse-error when enabled (it is about the input, like
// fnprop's own always-on check), else the first by name.
std::multiset<std::string> &liveChecks() {
  static std::multiset<std::string> L;
  return L;
}

Loc readLoc(const llvm::json::Object &O, const std::string &Base) {
  Loc L;
  if (auto F = O.getString("file")) L.File = absolute(*F, Base);
  if (auto N = O.getInteger("line")) L.Line = *N > 0 ? unsigned(*N) : 0;
  if (auto N = O.getInteger("column")) L.Col = *N > 0 ? unsigned(*N) : 0;
  return L;
}

bool parseFindings(llvm::StringRef Text, const std::string &Base, std::vector<Finding> &Out, std::string &Err) {
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(Text);
  if (!V) {
    Err = "fnprop printed invalid JSON: " + llvm::toString(V.takeError());
    return false;
  }
  const llvm::json::Array *A = V->getAsArray();
  if (!A) {
    Err = "fnprop's JSON output is not an array of diagnostics";
    return false;
  }
  for (const llvm::json::Value &E : *A) {
    const llvm::json::Object *O = E.getAsObject();
    if (!O) continue;
    Finding F;
    if (auto S = O->getString("check")) F.Check = S->str();
    if (auto S = O->getString("severity")) F.Severity = S->str();
    if (auto S = O->getString("message")) F.Message = S->str();
    F.At = readLoc(*O, Base);
    if (const llvm::json::Array *Ns = O->getArray("notes"))
      for (const llvm::json::Value &NV : *Ns)
        if (const llvm::json::Object *NO = NV.getAsObject()) {
          Note N{readLoc(*NO, Base), ""};
          if (auto S = NO->getString("message")) N.Message = S->str();
          F.Notes.push_back(std::move(N));
        }
    if (const llvm::json::Array *Rs = O->getArray("replacements"))
      for (const llvm::json::Value &RV : *Rs)
        if (const llvm::json::Object *RO = RV.getAsObject()) {
          Fix X;
          if (auto S = RO->getString("file")) X.File = absolute(*S, Base);
          if (auto S = RO->getString("text")) X.Text = S->str();
          if (auto N = RO->getInteger("offset")) X.Offset = *N > 0 ? unsigned(*N) : 0;
          if (auto N = RO->getInteger("length")) X.Length = *N > 0 ? unsigned(*N) : 0;
          F.Fixes.push_back(std::move(X));
        }
    for (const char *Name : CheckNames) F.Known |= F.Check == Name;
    Out.push_back(std::move(F));
  }
  return true;
}

bool isExecutable(const std::string &P) { return !P.empty() && ::access(P.c_str(), X_OK) == 0; }

// Runs argv (argv[0] a path, or a name looked up on PATH) with stdout
// captured; stderr stays the user's, so fnprop's own messages show.
int spawnCapture(const std::vector<std::string> &Argv, std::string &Out, std::string &Err) {
  std::vector<char *> A;
  for (const std::string &S : Argv) A.push_back(const_cast<char *>(S.c_str()));
  A.push_back(nullptr);
  int Pipe[2];
  if (::pipe2(Pipe, O_CLOEXEC) != 0) {
    Err = std::string("cannot create a pipe: ") + std::strerror(errno);
    return -1;
  }
  posix_spawn_file_actions_t Fa;
  posix_spawn_file_actions_init(&Fa);
  posix_spawn_file_actions_adddup2(&Fa, Pipe[1], 1);
  posix_spawn_file_actions_addopen(&Fa, 0, "/dev/null", O_RDONLY, 0);
  pid_t Pid;
  int Rc = Argv[0].find('/') == std::string::npos ? posix_spawnp(&Pid, A[0], &Fa, nullptr, A.data(), environ)
                                                  : posix_spawn(&Pid, A[0], &Fa, nullptr, A.data(), environ);
  posix_spawn_file_actions_destroy(&Fa);
  ::close(Pipe[1]);
  if (Rc != 0) {
    ::close(Pipe[0]);
    Err = "cannot run '" + Argv[0] + "': " + std::strerror(Rc) +
          "; install fnprop or set the FnpropBinary option (or $FNPROP)";
    return -1;
  }
  char Buf[65536];
  for (;;) {
    ssize_t N = ::read(Pipe[0], Buf, sizeof Buf);
    if (N > 0) Out.append(Buf, size_t(N));
    else if (N == 0 || errno != EINTR) break;
  }
  ::close(Pipe[0]);
  int Status;
  while (::waitpid(Pid, &Status, 0) < 0)
    if (errno != EINTR) {
      Err = std::string("waitpid: ") + std::strerror(errno);
      return -1;
    }
  if (WIFSIGNALED(Status)) {
    Err = "'" + Argv[0] + "' was killed by signal " + std::to_string(WTERMSIG(Status));
    return -1;
  }
  return WEXITSTATUS(Status);
}

// ---- the check ---------------------------------------------------------------
class FnpropCheck : public ClangTidyCheck {
public:
  FnpropCheck(llvm::StringRef Name, ClangTidyContext *Context)
      : ClangTidyCheck(Name, Context), Name(Name.str()),
        Binary(Options.getLocalOrGlobal("FnpropBinary", "").str()),
        BuildDir(Options.getLocalOrGlobal("FnpropBuildDir", "").str()),
        Database(Options.getLocalOrGlobal("FnpropDatabase", "").str()) {
    liveChecks().insert(this->Name);
  }
  ~FnpropCheck() override {
    auto It = liveChecks().find(Name);
    if (It != liveChecks().end()) liveChecks().erase(It);
  }

  void storeOptions(ClangTidyOptions::OptionMap &Opts) override {
    Options.store(Opts, "FnpropBinary", Binary);
    Options.store(Opts, "FnpropBuildDir", BuildDir);
    Options.store(Opts, "FnpropDatabase", Database);
  }

  void registerMatchers(MatchFinder *Finder) override { Finder->addMatcher(translationUnitDecl().bind("tu"), this); }

  void check(const MatchFinder::MatchResult &Result) override {
    SourceManager &SM = *Result.SourceManager;
    OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID());
    if (!Main) return;
    std::string Path = Main->getFileEntry().tryGetRealPathName().str();
    if (Path.empty()) {
      llvm::SmallString<256> Real;
      Path = llvm::sys::fs::real_path(Main->getName(), Real) ? Main->getName().str() : std::string(Real);
    }
    RunResult &R = runFnprop(SM, Path);
    if (R.Failed) {
      if (Name == failureReporter()) diag("%0", DiagnosticIDs::Error) << R.Error;
      return;
    }
    bool Fallback = !R.FallbackTaken;
    R.FallbackTaken = true;
    for (const Finding &F : R.Findings)
      if (F.Check == Name || (!F.Known && Fallback)) emit(SM, F);
  }

private:
  std::string Name, Binary, BuildDir, Database;

  static std::string failureReporter() {
    const std::multiset<std::string> &L = liveChecks();
    if (L.count(SetupCheck)) return SetupCheck;
    return L.empty() ? std::string() : *L.begin();
  }

  // The database fnprop will use, as fnprop finds it: FnpropDatabase, else
  // fnprop.db next to the real compile_commands.json of the build directory
  // (or of the nearest parent of the file holding one).  Empty when unknown.
  static std::string databasePath(const std::string &Db, const std::string &Build, const std::string &File) {
    if (!Db.empty()) return Db;
    std::string Dir = Build;
    if (Dir.empty())
      for (llvm::StringRef P = llvm::sys::path::parent_path(File); !P.empty(); P = llvm::sys::path::parent_path(P)) {
        llvm::SmallString<256> C(P);
        llvm::sys::path::append(C, "compile_commands.json");
        if (llvm::sys::fs::exists(C)) {
          Dir = P.str();
          break;
        }
        if (P == llvm::sys::path::root_path(P)) break;
      }
    if (Dir.empty()) return "";
    llvm::SmallString<256> C(Dir), Real;
    llvm::sys::path::append(C, "compile_commands.json");
    if (!llvm::sys::fs::real_path(C, Real)) Dir = llvm::sys::path::parent_path(Real).str();
    llvm::SmallString<256> Out(Dir);
    llvm::sys::path::append(Out, "fnprop.db");
    return std::string(Out);
  }

  std::string binary() const {
    const LoadState &L = loadState();
    if (!Binary.empty()) return absolute(Binary, L.Cwd);
    if (const char *E = std::getenv("FNPROP"); E && *E) return absolute(E, L.Cwd);
    for (const char *Rel : {"fnprop", "../../bin/fnprop", "../bin/fnprop"}) {
      std::string P = absolute(Rel, L.PluginDir);
      if (isExecutable(P)) return P;
    }
    return "fnprop";
  }

  // The user headers this translation unit read (not system headers, not
  // the main file): fnprop reports on them too, and clang-tidy's own
  // --header-filter then decides what is shown, as for any check.
  static std::vector<std::string> userHeaders(const SourceManager &SM, const std::string &Main) {
    std::vector<std::string> Out;
    std::set<std::string> Seen{Main};
    for (unsigned I = 0, N = SM.local_sloc_entry_size(); I < N; ++I) {
      const SrcMgr::SLocEntry &E = SM.getLocalSLocEntry(I);
      if (!E.isFile() || SrcMgr::isSystem(E.getFile().getFileCharacteristic())) continue;
      OptionalFileEntryRef FE = E.getFile().getContentCache().OrigEntry;
      if (!FE) continue;
      std::string P = FE->getFileEntry().tryGetRealPathName().str();
      if (!P.empty() && Seen.insert(P).second) Out.push_back(P);
    }
    return Out;
  }

  // Runs fnprop for the main file `Path` unless the last run was for the
  // same file with the same options (the other enabled checks of this TU).
  RunResult &runFnprop(const SourceManager &SM, const std::string &Path) {
    const LoadState &L = loadState();
    std::string Build = !BuildDir.empty() ? absolute(BuildDir, L.Cwd) : L.TidyBuild;
    std::vector<std::string> Argv = {binary(), "--format=json", "--quiet", "--checks=fnprop-*"};
    if (!Build.empty()) Argv.insert(Argv.end(), {"-p", Build});
    if (!Database.empty()) Argv.insert(Argv.end(), {"--db", absolute(Database, L.Cwd)});
    Argv.push_back(Path);
    std::string Key;
    for (const std::string &A : Argv) Key += A + '\0';
    RunResult &R = lastRun();
    if (R.Key == Key) return R;
    R = RunResult();
    R.Key = Key;
    for (std::string &H : userHeaders(SM, Path)) Argv.push_back(std::move(H));
    // A first run analyzes every translation unit of the build: say so
    // rather than keeping silent for seconds.
    std::string Db = databasePath(Database.empty() ? "" : absolute(Database, L.Cwd), Build, Path);
    if (!Db.empty() && !llvm::sys::fs::exists(Db)) {
      llvm::errs() << "fnprop-tidy: no properties database '" << Db
                   << "' yet: fnprop analyzes the whole program (every translation unit of the compile database) "
                      "once now; later runs reuse it and take a fraction of a second\n";
      llvm::errs().flush();
    }
    std::string Out, Err;
    int Status = spawnCapture(Argv, Out, Err);
    if (Status < 0 || Status > 1) {
      R.Failed = true;
      R.Error = Status < 0 ? Err
                           : "fnprop exited with status " + std::to_string(Status) + " on '" + Path +
                                 "' (see its message above); the fnprop checks did not run: fix the setup "
                                 "(compile database, properties database, FnpropBuildDir/FnpropDatabase options)";
      return R;
    }
    // fnprop ran in our current directory (clang-tidy's per-command one).
    llvm::SmallString<256> Here;
    std::string Base = llvm::sys::fs::current_path(Here) ? L.Cwd : std::string(Here);
    if (!parseFindings(Out, Base, R.Findings, Err)) {
      R.Failed = true;
      R.Error = Err;
    }
    return R;
  }

  // A location in `File`, which may be a file this TU never read (a witness
  // note in another translation unit): it is then added to the source
  // manager, as clang does for files it reports on.
  SourceLocation locate(SourceManager &SM, const std::string &File, unsigned Line, unsigned Col, FileID *Out) {
    if (File.empty()) return SourceLocation();
    OptionalFileEntryRef FE = SM.getFileManager().getOptionalFileRef(File);
    if (!FE) return SourceLocation();
    FileID FID = SM.translateFile(*FE);
    if (FID.isInvalid()) FID = SM.getOrCreateFileID(*FE, SrcMgr::C_User);
    if (FID.isInvalid()) return SourceLocation();
    if (Out) *Out = FID;
    if (Line == 0) return SM.getLocForStartOfFile(FID);
    return SM.translateLineCol(FID, Line, Col ? Col : 1);
  }

  void emit(SourceManager &SM, const Finding &F) {
    DiagnosticIDs::Level Level = F.Severity == "error" ? DiagnosticIDs::Error : DiagnosticIDs::Warning;
    std::string Msg = F.Known ? F.Message : F.Message + " [" + F.Check + "]";
    SourceLocation At = locate(SM, F.At.File, F.At.Line, F.At.Col, nullptr);
    {
      DiagnosticBuilder D = At.isValid() ? diag(At, "%0", Level) : diag("%0", Level);
      D << (At.isValid() ? Msg : F.At.File + ":" + std::to_string(F.At.Line) + ":" + std::to_string(F.At.Col) + ": " + Msg);
      if (At.isValid()) D << SourceRange(At, At); // underline the token, as fnprop does
      for (const Fix &X : F.Fixes) {
        FileID FID;
        if (locate(SM, X.File, 0, 0, &FID).isInvalid()) continue;
        std::string Key = X.File + '\0' + std::to_string(X.Offset) + '\0' + std::to_string(X.Length) + '\0' + X.Text;
        if (!emittedFixes().insert(Key).second) continue;
        SourceLocation B = SM.getLocForStartOfFile(FID).getLocWithOffset(int(X.Offset));
        D << FixItHint::CreateReplacement(CharSourceRange::getCharRange(B, B.getLocWithOffset(int(X.Length))), X.Text);
      }
    }
    for (const Note &N : F.Notes) {
      SourceLocation L = locate(SM, N.At.File, N.At.Line, N.At.Col, nullptr);
      if (L.isValid()) diag(L, "%0", DiagnosticIDs::Note) << N.Message << SourceRange(L, L);
      else diag(At, "%0", DiagnosticIDs::Note) << N.Message;
    }
  }
};

class FnpropModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
    for (const char *N : CheckNames) Factories.registerCheck<FnpropCheck>(N);
    Factories.registerCheck<FnpropCheck>(SetupCheck);
  }
};

// Runs when the shared object is loaded: check the host's version, resolve
// what is relative to the user's directory, then register the module.
struct Loader {
  Loader() {
    int Host = runtimeMajor();
    if (Host != FNPROP_TIDY_BUILT_MAJOR) {
      std::fprintf(stderr,
                   "fnprop-tidy: error: this plugin was built for clang-tidy %d but was loaded into clang-tidy %d "
                   "(%s); refusing to run: load fnprop-tidy-%d.so, or build one for this clang-tidy with "
                   "`make tidy-plugin LLVM_CONFIG=llvm-config-%d`\n",
                   FNPROP_TIDY_BUILT_MAJOR, Host, clang::getClangFullVersion().c_str(), Host, Host);
      std::fflush(stderr);
      std::_Exit(1);
    }
    LoadState &L = loadState();
    llvm::SmallString<256> Cwd;
    if (!llvm::sys::fs::current_path(Cwd)) L.Cwd = std::string(Cwd);
    L.TidyBuild = tidyBuildDir(L.Cwd);
    Dl_info Info;
    if (::dladdr(reinterpret_cast<void *>(&runtimeMajor), &Info) && Info.dli_fname)
      L.PluginDir = llvm::sys::path::parent_path(absolute(Info.dli_fname, L.Cwd)).str();
    // A registry node lives as long as the process (never unregistered).
    new ClangTidyModuleRegistry::Add<FnpropModule>(
        "fnprop-module", "fnprop: whole-program !tls / !panic contracts (FNPROP_NOTLS, FNPROP_NOPANIC)");
  }
};
Loader TheLoader;

} // namespace
} // namespace clang::tidy::fnprop
