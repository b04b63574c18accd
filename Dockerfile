# iamq in an image FROM scratch: the static linux binary and nothing else.
# The binary is copied prebuilt (scripts/release.sh linux/amd64, or
# CGO_ENABLED=0 go build), so building the image needs no network:
#
#   scripts/release.sh linux/amd64
#   mkdir -p ctx && cp dist/iamq-*-linux-amd64 ctx/iamq
#   buildah bud -t iamq -f Dockerfile ctx      # or: docker build -t iamq -f Dockerfile ctx
#   docker run -p 4599:4599 -v iamq-data:/data iamq
#
# Its settings are serve's environment variables (IAMQ_ADDR, IAMQ_DATA_DIR,
# IAMQ_ACCOUNT_ID, …; 'iamq serve -h'), and its arguments are serve's flags:
# 'docker run iamq --dev'. The credentials of the default account's root are
# in /data/credentials; keep /data on a volume. scripts/e2e/image.sh builds
# and runs it.
FROM scratch
COPY iamq /iamq
# No shell here to make directories: WORKDIR makes them. SQLite and Go put
# temporary files in TMPDIR.
WORKDIR /tmp
WORKDIR /data
ENV IAMQ_ADDR=0.0.0.0:4599 IAMQ_DATA_DIR=/data TMPDIR=/tmp
VOLUME /data
EXPOSE 4599
ENTRYPOINT ["/iamq", "serve"]
