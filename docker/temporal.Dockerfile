# The Temporal dev server, built from the same pinned CLI that `npm start` builds locally.
FROM golang:1.25-alpine AS build
# Later CLI tags carry a `replace` directive that `go install` refuses.
ARG TEMPORAL_CLI_VERSION=v1.5.1
RUN CGO_ENABLED=0 GOBIN=/out go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}

FROM alpine:3.22
COPY --from=build /out/temporal /usr/local/bin/temporal
RUN mkdir -p /data
VOLUME /data
# 7233: gRPC frontend, 8233: Web UI.
EXPOSE 7233 8233
HEALTHCHECK --interval=5s --timeout=5s --start-period=30s --retries=12 \
  CMD ["temporal", "operator", "cluster", "health", "--address", "127.0.0.1:7233"]
CMD ["temporal", "server", "start-dev", \
  "--ip", "0.0.0.0", "--port", "7233", "--ui-port", "8233", \
  "--db-filename", "/data/temporal.db", \
  "--search-attribute", "EndpointId=Keyword", \
  "--search-attribute", "RetrievalStatus=Keyword", \
  "--log-level", "warn"]
