package sun.net.www;

/** Stub of the JDK's request/response header list used by sun.net.www.protocol.http. */
public class MessageHeader {
  public synchronized void set(String key, String value) {
    throw new UnsupportedOperationException("stub");
  }

  public synchronized void add(String key, String value) {
    throw new UnsupportedOperationException("stub");
  }

  public synchronized void remove(String key) {
    throw new UnsupportedOperationException("stub");
  }

  public synchronized String findValue(String key) {
    throw new UnsupportedOperationException("stub");
  }
}
