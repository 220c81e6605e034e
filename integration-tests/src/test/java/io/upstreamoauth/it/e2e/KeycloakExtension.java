package io.upstreamoauth.it.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands tests the {@link E2eRealm}: Keycloak starts once per test run (it takes about a minute),
 * on first use, and is kept in the root store, which JUnit closes, and so stops Keycloak, when the
 * run ends, whether the tests passed or not.
 */
public final class KeycloakExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KeycloakExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == E2eRealm.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(E2eRealm.class, key -> start(), E2eRealm.class);
  }

  private static E2eRealm start() {
    try {
      return E2eRealm.create();
    } catch (Exception e) {
      throw new ParameterResolutionException("cannot start Keycloak: " + e.getMessage(), e);
    }
  }
}
