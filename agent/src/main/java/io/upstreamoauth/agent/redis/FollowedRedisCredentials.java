package io.upstreamoauth.agent.redis;

import io.upstreamoauth.agent.rotation.FollowedFile;
import redis.clients.jedis.DefaultRedisCredentials;
import redis.clients.jedis.RedisCredentials;
import redis.clients.jedis.RedisCredentialsProvider;

/**
 * A Redis user and a password that follows its file: Jedis asks for them for every new
 * connection (on a token request's path, never on an application request's), so a rotated
 * password is used from the next connection on. Connections already open stay authenticated.
 */
final class FollowedRedisCredentials implements RedisCredentialsProvider {

  private final String user;
  private final FollowedFile password;

  FollowedRedisCredentials(String user, FollowedFile password) {
    this.user = user;
    this.password = password;
  }

  @Override
  public RedisCredentials get() {
    return new DefaultRedisCredentials(user, password.value());
  }

  @Override
  public String toString() {
    return "FollowedRedisCredentials{" + password + "}";
  }
}
