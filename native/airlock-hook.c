/*
 * airlock-hook: the native client-mode agent hook.
 *
 * Agent clients run their pre-tool hook before every tool call, so its answer time includes
 * process start; a Node process alone starts in 40-140 ms, more than the 50 ms budget. This
 * program does only what client mode needs: read the client's JSON from stdin, POST it to a
 * running `airlock serve` (`/hooks/CLIENT?format=raw`), print the answer and exit with its code.
 * Judging stays in Airlock; this file holds no policy.
 *
 * Usage: airlock-hook [--url http://HOST:PORT] [--dry-run] [--home DIR] CLIENT < input.json
 * The URL defaults to $AIRLOCK_URL; the token comes from $AIRLOCK_TOKEN.
 *
 * SECURITY: fails closed. Every problem (bad arguments, no server, timeout, a malformed answer)
 * exits 2 with the reason on stderr, which every supported client (Claude Code, Cursor, Codex,
 * Gemini CLI) treats as a deny. The reason is never empty: Codex counts exit 2 with empty stderr
 * as a failed hook and runs the tool. The server's own answers (an allow is no output for Claude
 * Code and Codex) are printed byte for byte. Only plain http to a loopback-style host:port is spoken; an
 * https URL needs the Node hook (`bin/airlock-hook.cjs`).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_INPUT (1024 * 1024)
#define MAX_ANSWER (4 * 1024 * 1024)
#define TIMEOUT_SECONDS 10

static void deny(const char *why) {
  fprintf(stderr, "Airlock denied this call: %s. Nothing was run.\n", why);
  exit(2);
}

static int known_client(const char *name) {
  static const char *const clients[] = {"claude-code", "cursor", "codex", "gemini"};
  for (size_t i = 0; i < sizeof clients / sizeof clients[0]; i++) {
    if (strcmp(name, clients[i]) == 0) return 1;
  }
  return 0;
}

/* Reads all of a file descriptor into a growing buffer, at most `limit` bytes. */
static char *read_all(int fd, size_t limit, size_t *length) {
  size_t capacity = 65536, used = 0;
  char *buffer = malloc(capacity);
  if (buffer == NULL) return NULL;
  for (;;) {
    if (used == capacity) {
      if (capacity >= limit) { free(buffer); return NULL; }
      capacity *= 2;
      char *grown = realloc(buffer, capacity);
      if (grown == NULL) { free(buffer); return NULL; }
      buffer = grown;
    }
    ssize_t got = read(fd, buffer + used, capacity - used);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      free(buffer);
      return NULL;
    }
    used += (size_t)got;
    if (used > limit) { free(buffer); return NULL; }
  }
  *length = used;
  return buffer;
}

static int write_all(int fd, const char *data, size_t length) {
  while (length > 0) {
    ssize_t put = write(fd, data, length);
    if (put < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    data += put;
    length -= (size_t)put;
  }
  return 0;
}

/* Splits `http://HOST:PORT[/]` into host and port; anything else is refused. */
static int parse_url(const char *url, char *host, size_t host_size, char *port, size_t port_size) {
  const char *prefix = "http://";
  if (strncmp(url, prefix, strlen(prefix)) != 0) return -1;
  const char *start = url + strlen(prefix);
  const char *colon = strchr(start, ':');
  if (colon == NULL || colon == start || (size_t)(colon - start) >= host_size) return -1;
  memcpy(host, start, (size_t)(colon - start));
  host[colon - start] = '\0';
  const char *digits = colon + 1;
  size_t n = 0;
  while (digits[n] >= '0' && digits[n] <= '9') n++;
  if (n == 0 || n >= port_size || (digits[n] != '\0' && !(digits[n] == '/' && digits[n + 1] == '\0'))) return -1;
  memcpy(port, digits, n);
  port[n] = '\0';
  return 0;
}

static int connect_to(const char *host, const char *port) {
  struct addrinfo hints = {0}, *found = NULL;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host, port, &hints, &found) != 0) return -1;
  int fd = -1;
  for (struct addrinfo *at = found; at != NULL; at = at->ai_next) {
    fd = socket(at->ai_family, at->ai_socktype, at->ai_protocol);
    if (fd < 0) continue;
    struct timeval timeout = {TIMEOUT_SECONDS, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    if (connect(fd, at->ai_addr, at->ai_addrlen) == 0) break;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(found);
  return fd;
}

int main(int argc, char **argv) {
  const char *url = getenv("AIRLOCK_URL");
  const char *client = NULL;
  int dry_run = 0;
  for (int i = 1; i < argc; i++) {
    if ((strcmp(argv[i], "--url") == 0 || strcmp(argv[i], "--home") == 0) && i + 1 < argc) {
      if (argv[i][2] == 'u') url = argv[i + 1];
      i++;
    } else if (strcmp(argv[i], "--dry-run") == 0) {
      dry_run = 1;
    } else if (client == NULL && known_client(argv[i])) {
      client = argv[i];
    } else {
      deny("the hook was given an unexpected argument");
    }
  }
  if (client == NULL) deny("the hook does not name its client (claude-code, cursor, codex or gemini)");
  if (url == NULL || url[0] == '\0') deny("no Airlock server is configured (--url or $AIRLOCK_URL)");
  char host[256], port[8];
  if (parse_url(url, host, sizeof host, port, sizeof port) != 0) deny("the Airlock server URL must be http://HOST:PORT");

  size_t input_length = 0;
  char *input = read_all(STDIN_FILENO, MAX_INPUT, &input_length);
  if (input == NULL) deny("the hook input could not be read or is too large");

  const char *token = getenv("AIRLOCK_TOKEN");
  char head[1024];
  int head_length = snprintf(head, sizeof head,
      "POST /hooks/%s?format=raw%s HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: application/json\r\n"
      "Content-Length: %zu\r\nConnection: close\r\n",
      client, dry_run ? "&dry-run=1" : "", host, port, input_length);
  if (head_length < 0 || (size_t)head_length >= sizeof head) deny("the request could not be built");

  int fd = connect_to(host, port);
  if (fd < 0) deny("the Airlock server is unreachable");
  int failed = write_all(fd, head, (size_t)head_length);
  if (!failed && token != NULL && token[0] != '\0') {
    failed = write_all(fd, "Authorization: Bearer ", 22) || write_all(fd, token, strlen(token)) || write_all(fd, "\r\n", 2);
  }
  failed = failed || write_all(fd, "\r\n", 2) || write_all(fd, input, input_length);
  if (failed) deny("the Airlock server could not be reached");

  size_t answer_length = 0;
  char *answer = read_all(fd, MAX_ANSWER, &answer_length);
  close(fd);
  if (answer == NULL) deny("the Airlock server did not answer in time");
  /* The answer must be `HTTP/1.x 200`, then headers, then `EXIT STDOUT_BYTES\n` stdout stderr. */
  if (answer_length < 12 || strncmp(answer, "HTTP/1.", 7) != 0 || strncmp(answer + 8, " 200", 4) != 0) {
    deny("the Airlock server refused the hook call");
  }
  char *body = NULL;
  for (size_t i = 0; i + 3 < answer_length; i++) {
    if (memcmp(answer + i, "\r\n\r\n", 4) == 0) { body = answer + i + 4; break; }
  }
  if (body == NULL) deny("the Airlock server gave a malformed answer");
  size_t body_length = answer_length - (size_t)(body - answer);
  char *newline = memchr(body, '\n', body_length);
  if (newline == NULL) deny("the Airlock server gave a malformed answer");
  int exit_code = -1;
  size_t stdout_length = 0;
  *newline = '\0';
  if (sscanf(body, "%d %zu", &exit_code, &stdout_length) != 2 || (exit_code != 0 && exit_code != 2)) {
    deny("the Airlock server gave a malformed answer");
  }
  char *rest = newline + 1;
  size_t rest_length = body_length - (size_t)(rest - body);
  if (stdout_length > rest_length) deny("the Airlock server gave a malformed answer");
  if (write_all(STDOUT_FILENO, rest, stdout_length) != 0) deny("the answer could not be written");
  write_all(STDERR_FILENO, rest + stdout_length, rest_length - stdout_length);
  return exit_code;
}
