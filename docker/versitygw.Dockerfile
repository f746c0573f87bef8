# Versity's S3 gateway on its posix backend: each bucket is a folder of /data/s3.
FROM golang:1.25-alpine AS build
ARG VERSITYGW_VERSION=v1.7.0
RUN CGO_ENABLED=0 GOBIN=/out go install github.com/versity/versitygw/cmd/versitygw@${VERSITYGW_VERSION}

FROM alpine:3.22
COPY --from=build /out/versitygw /usr/local/bin/versitygw
RUN mkdir -p /data/s3
VOLUME /data
EXPOSE 7070
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=12 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:7070/health"]
# The root account's keys come from ROOT_ACCESS_KEY_ID and ROOT_SECRET_ACCESS_KEY.
CMD ["versitygw", "--port", ":7070", "--health", "/health", "--quiet", "posix", "/data/s3"]
